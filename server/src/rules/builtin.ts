import data from './builtin-rules.generated.json' with { type: 'json' };
import type { RuleData } from '../engine/types.js';

/** The rules shipped in rules/, compiled to JSON by scripts/compile-rules.mjs at build time. */
export const builtinRules: RuleData[] = (data as { rules: RuleData[] }).rules;
/** Changes whenever any rule changes; part of cache keys. */
export const RULES_VERSION: string = (data as { version: string }).version;
