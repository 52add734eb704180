import type { RunReport } from '../report.js';
import { suggestionList } from './suggestions.js';

/**
 * `--format junit`: JUnit XML, which CI systems (GitLab, Jenkins, Azure, CircleCI) show as test
 * results. One testsuite per file; one testcase with a failure per finding; a clean file is one
 * passing testcase; a skipped file (binary, too large) one skipped testcase; a file Candor could
 * not read or parse one testcase with an error.
 */
export default function formatJunit(report: RunReport): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  const suites: string[] = [];
  for (const file of report.files) {
    const cases: string[] = [];
    let sFailures = 0;
    let sErrors = 0;
    let sSkipped = 0;
    for (const n of file.notices) {
      if (n.kind === 'binary' || n.kind === 'too-large') {
        cases.push(`    <testcase classname=${attr(file.path)} name=${attr(`${n.kind}`)}>\n      <skipped message=${attr(n.message)}/>\n    </testcase>`);
        sSkipped++;
      } else if (n.severity === 'error' || n.kind === 'parse-error') {
        const where = n.line ? `${n.line}:${n.column ?? 1}` : '';
        cases.push(`    <testcase classname=${attr(file.path)} name=${attr(`${n.kind}${where ? ' at ' + where : ''}`)}>\n      <error type=${attr(n.kind)} message=${attr(n.message)}>${text(`${file.path}${where ? ':' + where : ''}: ${n.message}`)}</error>\n    </testcase>`);
        sErrors++;
      }
    }
    for (const f of file.findings) {
      const where = `${f.line}:${f.column}`;
      const body = [
        `${f.severity}: ${f.message}`,
        `“${f.text}” at ${file.path}:${where}`,
        ...(f.suggestions.length ? [`Try: ${suggestionList(f.suggestions)}`] : []),
        `Rule: ${f.ruleId} (${f.category})`,
      ].join('\n');
      cases.push(`    <testcase classname=${attr(file.path)} name=${attr(`${f.ruleId} at ${where}`)}>\n      <failure type=${attr(f.ruleId)} message=${attr(`${f.message} “${f.text}”`)}>${text(body)}</failure>\n    </testcase>`);
      sFailures++;
    }
    if (cases.length === 0) cases.push(`    <testcase classname=${attr(file.path)} name="candor"/>`);
    tests += cases.length;
    failures += sFailures;
    errors += sErrors;
    suites.push(
      `  <testsuite name=${attr(file.path)} tests="${cases.length}" failures="${sFailures}" errors="${sErrors}" skipped="${sSkipped}" time="0">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  const seconds = (report.summary.durationMs / 1000).toFixed(3);
  out.push(`<testsuites name="candor" tests="${tests}" failures="${failures}" errors="${errors}" time="${seconds}">`);
  out.push(...suites);
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

/** Characters XML 1.0 cannot carry at all (control characters, lone surrogates, U+FFFE/F). */
// eslint-disable-next-line no-control-regex
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function clean(s: string): string {
  return s.replace(INVALID, '\uFFFD');
}

export function text(s: string): string {
  return clean(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function attr(s: string): string {
  return `"${clean(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;')}"`;
}
