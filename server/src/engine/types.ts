import type { MappedText } from './mapped-text.js';

export const CATEGORIES = ['cliche', 'defensive', 'hierarchy'] as const;
export type Category = (typeof CATEGORIES)[number];

export const PRINCIPLES = ['listening', 'empathy', 'ownership', 'honesty', 'respect'] as const;
export type Principle = (typeof PRINCIPLES)[number];

/** Severity as configured. "off" disables a rule. */
export type SeveritySetting = 'off' | 'info' | 'warning' | 'error';
/** Severity of a reported finding. */
export type Severity = Exclude<SeveritySetting, 'off'>;

/** A rule as written in rules/ (or in a team's .candor.json "phrases"). Pure data. */
export interface RuleData {
  id: string;
  category: Category;
  principle: Principle;
  severity?: Severity;
  message: string;
  rationale: string;
  /**
   * Phrase patterns; see rules/README.md for the syntax. A pattern may carry its own
   * rewrites when its matches read differently from the rule's other patterns ("we strive"
   * vs "our team strives"): those replace the rule's `suggestions` for its matches. An empty
   * list means no rewrite fits that shape: its matches are reported without a quick fix.
   */
  patterns: Array<string | { pattern: string; suggestions: string[] }>;
  /** Phrases in which a match is legitimate (e.g. "civil servant"). */
  exceptions?: string[];
  /** 2-4 rewrites of the matched span. "" means "delete the phrase". */
  suggestions: string[];
  /** The first suggestion is safe for `--fix` without a human reading it. */
  fixable?: boolean;
  examples?: { invalid: string[]; valid: string[] };
}

/** One rewrite offered for a finding, already in the file's own syntax. */
export interface Suggestion {
  /** The rewrite as a person reads it (case adjusted to the original). */
  text: string;
  /** The edit that applies it, in source offsets (UTF-16). */
  fix: { offset: number; endOffset: number; text: string };
  /** The rewrite deletes the phrase (the edit may still re-capitalize the next word). */
  removal?: boolean;
}

export interface Finding {
  ruleId: string;
  category: Category;
  severity: Severity;
  message: string;
  /** 1-based line and column, end exclusive, in UTF-16 code units. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** 0-based UTF-16 offsets into the file text, end exclusive. */
  offset: number;
  endOffset: number;
  /** The file's text at [offset, endOffset). */
  text: string;
  suggestions: Suggestion[];
  /** True when the first suggestion may be applied by --fix. */
  fixable: boolean;
}

/** A problem with the input itself (malformed JSON, file too large…), not with its wording. */
export interface InputProblem {
  kind: 'parse-error' | 'too-large' | 'binary' | 'encoding';
  message: string;
  offset: number;
  endOffset: number;
}

export type FormatId = 'text' | 'markdown' | 'html' | 'json' | 'yaml';

/** A stretch of prose with a map back to the file. */
export interface ProseRegion {
  text: MappedText;
  /**
   * Turns replacement prose into the file's own syntax at this place (JSON escapes, HTML
   * entities, YAML quoting, the quotes of a template string literal at `sourceOffset`).
   * Identity when absent.
   */
  escape?: (replacement: string, sourceOffset?: number) => string;
}

export interface ExtractResult {
  regions: ProseRegion[];
  problems: InputProblem[];
}

/** Characters adapters write into prose text to carry structure to the matcher. */
export const PLACEHOLDER_CHAR = '\uE000'; // a masked template placeholder: one word, never part of a match
export const BARRIER_CHAR = '\u2029'; // a block boundary (end of a <p>, a list item…): no phrase spans it
/**
 * A masked template tag that outputs no word of its own — a control tag, a comment, a partial —
 * stands first in its masked range: no phrase spans it (what it renders is unknown, and a
 * finding must never include a tag), but sentence context reads it as a space.
 */
export const TAG_BREAK_CHAR = '\uE001';
