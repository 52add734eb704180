import type { RunReport } from '../report.js';
import formatJson from './json.js';
import formatStylish from './stylish.js';

/** One module per output format; adding a format touches only this table and its file. */
export interface FormatterOptions {
  color: boolean;
  cwd: string;
}

export type Formatter = (report: RunReport, options: FormatterOptions) => string;

export const formatters: Record<string, Formatter> = {
  stylish: formatStylish,
  json: formatJson,
};
