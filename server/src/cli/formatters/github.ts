import type { RunReport } from '../report.js';
import { suggestionList } from './suggestions.js';

/**
 * `--format github`: GitHub Actions workflow commands, which the runner turns into annotations
 * on the pull request's diff: `::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=…::…`.
 * Escaping follows the runner's rules: in the message `%`, CR and LF; in properties also `:`
 * and `,`. Levels map error → error, warning → warning, info → notice. GitHub shows at most
 * 10 annotations of each level per step (50 per job): use SARIF for the complete list.
 */
export default function formatGithub(report: RunReport): string {
  const out: string[] = [];
  for (const file of report.files) {
    for (const n of file.notices) {
      const props = [`file=${escapeProperty(file.path)}`];
      if (n.line) props.push(`line=${n.line}`, `col=${n.column ?? 1}`);
      props.push(`title=${escapeProperty(`Candor (${n.kind})`)}`);
      out.push(`::${level(n.severity)} ${props.join(',')}::${escapeData(n.message)}`);
    }
    for (const f of file.findings) {
      const props = [
        `file=${escapeProperty(file.path)}`,
        `line=${f.line}`,
        `col=${f.column}`,
        `endLine=${f.endLine}`,
        `endColumn=${f.endColumn}`,
        `title=${escapeProperty(`${f.ruleId}: “${f.text.replace(/\s+/g, ' ')}”`)}`,
      ];
      let message = f.message;
      const first = f.suggestions[0];
      if (first) message += `\nTry: ${suggestionList(f.suggestions)}`;
      out.push(`::${level(f.severity)} ${props.join(',')}::${escapeData(message)}`);
    }
  }
  const s = report.summary;
  out.push(`Candor: ${s.findings} problem${s.findings === 1 ? '' : 's'} (${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}) in ${s.filesChecked} file${s.filesChecked === 1 ? '' : 's'}`);
  return out.join('\n') + '\n';
}

function level(severity: 'error' | 'warning' | 'info'): string {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'notice';
}

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
