import { createHash } from './builtins.js';
import { EntryKind, PhraseMatcher } from './matcher.js';
import { expandPattern, parsePattern, PatternError } from './pattern.js';
import type { PatternTableReader } from './pattern-table.js';
import type { RuleData, Severity, SeveritySetting } from './types.js';

/**
 * Rules compiled once into a single matcher. Compiling is the expensive step (pattern
 * expansion, trie building), so rule sets are cached by their inputs: the language server
 * re-lints on every keystroke with the same set, the CLI lints thousands of files with it.
 */

export interface CompiledRule extends RuleData {
  severity: Severity;
}

export interface RuleSetOptions {
  /** Rule id or category → severity. The more specific key wins. */
  severities?: Record<string, SeveritySetting>;
  /** A team's own rules, in the same data form as the built-in ones. */
  custom?: RuleData[];
  /** Phrases the team allows: any finding overlapping one is dropped. */
  allow?: string[];
}

export interface RuleProblem {
  ruleId: string;
  pattern: string;
  message: string;
}

export class CompiledRuleSet {
  readonly rules: CompiledRule[] = [];
  readonly matcher = new PhraseMatcher();
  readonly problems: RuleProblem[] = [];
  /** What the set was compiled from (rules version and options), as compileRuleSet keys it. */
  source = '';
  private hashed: string | undefined;

  /** A stable hash of everything the set was compiled from (rules version and options). */
  get key(): string {
    return (this.hashed ??= createHash('sha256').update(this.source).digest('hex').slice(0, 16));
  }
  private readonly byId = new Map<string, CompiledRule>();

  constructor(
    all: RuleData[],
    options: RuleSetOptions,
    private readonly trusted: ReadonlySet<string> = new Set(),
    /** Patterns parsed at build time (the built-in ones); any other pattern is parsed here. */
    private readonly parsed?: PatternTableReader,
  ) {
    const severities = options.severities ?? {};
    for (const rule of all) {
      const setting = severities[rule.id] ?? severities[rule.category] ?? rule.severity ?? 'warning';
      if (setting === 'off') continue;
      const compiled: CompiledRule = { ...rule, severity: setting };
      const index = this.rules.length;
      let added = 0;
      for (const p of rule.patterns) {
        if (typeof p === 'string') added += this.addPattern(rule.id, p, { kind: EntryKind.Match, rule: index });
        else added += this.addPattern(rule.id, p.pattern, { kind: EntryKind.Match, rule: index, suggestions: p.suggestions });
      }
      for (const pattern of rule.exceptions ?? []) {
        this.addPattern(rule.id, pattern, { kind: EntryKind.Exception, rule: index });
      }
      if (added === 0) continue;
      this.rules.push(compiled);
      this.byId.set(rule.id, compiled);
    }
    for (const phrase of options.allow ?? []) this.addPattern('allow', phrase, { kind: EntryKind.Allow, rule: -1 });
  }

  get(id: string): CompiledRule | undefined {
    return this.byId.get(id);
  }

  private addPattern(ruleId: string, pattern: string, entry: { kind: EntryKind; rule: number; suggestions?: string[] }): number {
    try {
      // Validate (bad syntax, "matches any word", size) on the expansion only for patterns
      // that do not come from the built-in rules, which the build already checked.
      if (!this.trusted.has(ruleId)) expandPattern(pattern);
      const encoded = this.parsed?.encoded(pattern);
      if (encoded) this.matcher.addEncoded(encoded, this.parsed!.table.forms, entry);
      else this.matcher.addPattern(parsePattern(pattern), entry);
      return 1;
    } catch (err) {
      if (!(err instanceof PatternError)) throw err;
      this.problems.push({ ruleId, pattern, message: err.message });
      return 0;
    }
  }
}

const cache = new Map<string, CompiledRuleSet>();
// Each compiled set is a few MB once used; a handful covers multi-root workspaces and the
// sets made while someone types in .candor.json.
const CACHE_SIZE = 6;

export function compileRuleSet(builtin: RuleData[], options: RuleSetOptions = {}, builtinKey = 'builtin', parsed?: PatternTableReader): CompiledRuleSet {
  const key = builtinKey + '\u0000' + JSON.stringify([options.severities ?? {}, options.custom ?? [], options.allow ?? []]);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const set = new CompiledRuleSet([...builtin, ...(options.custom ?? [])], options, new Set(builtin.map((r) => r.id)), parsed);
  set.source = key;
  cache.set(key, set);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return set;
}
