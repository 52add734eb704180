import data from './builtin-rules.generated.json' with { type: 'json' };
import patterns from './builtin-patterns.generated.json' with { type: 'json' };
import type { RuleData } from '../engine/types.js';
import { PatternTableReader, type PatternTable } from '../engine/pattern-table.js';

/** The rules shipped in rules/, compiled to JSON by scripts/compile-rules.mjs at build time. */
export const builtinRules: RuleData[] = (data as { rules: RuleData[] }).rules;
/** Changes whenever any rule changes; part of cache keys. */
export const RULES_VERSION: string = (data as { version: string }).version;
/** Their patterns, already parsed by the same build step (see engine/pattern-table.ts). */
export const builtinPatterns = new PatternTableReader(patterns as unknown as PatternTable);
