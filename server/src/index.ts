/** Candor's engine as a library: the same functions the CLI and the language server use. */
export { lint, defaultRuleSet, type LintOptions, type LintResult } from './engine/lint.js';
export { compileRuleSet, CompiledRuleSet, type RuleSetOptions } from './engine/ruleset.js';
export { builtinRules, RULES_VERSION } from './rules/builtin.js';
export { detectFormat, extractProse } from './formats/index.js';
export { parseConfig, type CandorConfig } from './config/parse.js';
export { ConfigResolver } from './config/resolve.js';
export * from './engine/types.js';
