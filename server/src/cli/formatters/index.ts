import type { RuleData } from '../../engine/types.js';
import type { RunReport } from '../report.js';
import formatCompact from './compact.js';
import formatGithub from './github.js';
import formatJson from './json.js';
import formatJunit from './junit.js';
import formatSarif from './sarif.js';
import formatStylish from './stylish.js';

/** One module per output format; adding a format touches only this table and its file. */
export interface FormatterOptions {
  color: boolean;
  cwd: string;
  /** The CLI's version (SARIF tool.driver.version). */
  version: string;
  /** Every rule that can report: built-in and the team's own (SARIF tool.driver.rules). */
  rules: RuleData[];
  /** --baseline is in use (SARIF marks results as new). */
  baseline?: boolean;
}

export type Formatter = (report: RunReport, options: FormatterOptions) => string;

export const formatters: Record<string, Formatter> = {
  stylish: formatStylish,
  json: formatJson,
  compact: formatCompact,
  sarif: formatSarif,
  github: formatGithub,
  junit: formatJunit,
};
