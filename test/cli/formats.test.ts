import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCandor } from '../helpers';
import { lintJson, teamConfig, workspace, write, type JsonReport } from './util';

const SARIF_SCHEMA = path.resolve(ROOT, '../shared/schemas/sarif-schema-2.1.0.json');

/** The official SARIF 2.1.0 schema is draft-04; ajv 8 reads it once `id` is spelled `$id`. */
function sarifValidator() {
  const schema = JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8'));
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:[^\s]*$/i.test(s));
  ajv.addFormat('uri-reference', (s: string) => !/\s/.test(s));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv.compile(schema);
}

describe('output formats (the real CLI on the bundled examples)', () => {
  let json: JsonReport;
  beforeAll(async () => {
    json = (await lintJson(['examples/'])).report;
    expect(json.summary.findings).toBeGreaterThan(3);
  });

  it('sarif: valid SARIF 2.1.0 with rule metadata, regions, snippets, fixes and fingerprints', async () => {
    const r = await runCandor(['lint', 'examples/', '--format', 'sarif']);
    expect(r.code).toBe(0);
    const log = JSON.parse(r.stdout);
    const validate = sarifValidator();
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    const run = log.runs[0];
    const rules = run.tool.driver.rules;
    const listed = (await runCandor(['rules'])).stdout.split('\n').filter((l) => /^\S+\/\S+\s/.test(l)).map((l) => l.split(/\s+/)[0]);
    expect(rules.map((x: any) => x.id).sort()).toEqual(listed.sort());
    for (const rule of rules) {
      expect(rule.shortDescription.text).toBeTruthy();
      expect(rule.fullDescription.text).toBeTruthy();
      expect(rule.help.text).toBeTruthy();
      expect(rule.helpUri).toMatch(new RegExp(`rules/docs/${rule.id}\\.md$`));
      expect(['error', 'warning', 'note']).toContain(rule.defaultConfiguration.level);
      expect(['cliche', 'defensive', 'hierarchy']).toContain(rule.properties.tags[0]);
      // The linked page exists in the repository.
      expect(() => readFileSync(path.join(ROOT, 'rules/docs', `${rule.id}.md`))).not.toThrow();
    }
    const all = json.files.flatMap((f) => f.findings.map((x) => ({ ...x, path: f.path })));
    expect(run.results).toHaveLength(all.length);
    run.results.forEach((res: any, i: number) => {
      const f = all[i];
      expect(res.ruleId).toBe(f.ruleId);
      expect(rules[res.ruleIndex].id).toBe(f.ruleId);
      const loc = res.locations[0].physicalLocation;
      expect(loc.artifactLocation.uri).toBe(f.path);
      expect(loc.region).toEqual({ startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn, charOffset: f.offset, charLength: f.endOffset - f.offset, snippet: { text: f.text } });
      expect(res.fixes).toHaveLength(f.suggestions.length);
      expect(res.fixes[0].artifactChanges[0].replacements[0]).toEqual({
        deletedRegion: { charOffset: f.suggestions[0].fix.offset, charLength: f.suggestions[0].fix.endOffset - f.suggestions[0].fix.offset },
        insertedContent: { text: f.suggestions[0].fix.text },
      });
      expect(res.partialFingerprints['candor/v1']).toMatch(/^[0-9a-f]{32}$/);
    });
    expect(run.columnKind).toBe('utf16CodeUnits');
  });

  it('sarif: fingerprints stay the same when lines above a finding move', async () => {
    const text = 'Per our policy, no refunds.\nWe apologize for any inconvenience.\nPer our policy, no exchanges.\n';
    const dir = workspace({ 'a.txt': text });
    const fps = async () => {
      const log = JSON.parse((await runCandor(['lint', 'a.txt', '--format', 'sarif'], { cwd: dir })).stdout);
      return log.runs[0].results.map((x: any) => `${x.ruleId} ${x.partialFingerprints['candor/v1']} ${x.locations[0].physicalLocation.region.startLine}`);
    };
    const before = await fps();
    expect(before.length).toBeGreaterThanOrEqual(2);
    write(dir, { 'a.txt': 'Hello,\n\nA new opening paragraph.\n\n' + text });
    const after = await fps();
    const strip = (xs: string[]) => xs.map((x) => x.split(' ').slice(0, 2).join(' '));
    expect(strip(after)).toEqual(strip(before));
    expect(after[0].split(' ')[2]).toBe(String(Number(before[0].split(' ')[2]) + 4));
    // Two identical findings in one file still get different fingerprints (occurrence index).
    expect(new Set(strip(before)).size).toBe(before.length);
  });

  it('sarif: valid with team rules, skipped files and odd file names', async () => {
    const dir = workspace({
      '.candor.json': teamConfig({ maxFileSize: 1024 }),
      'with space & ünïcode.txt': 'Kindly note the hours.\n',
      'big.txt': 'x'.repeat(2000),
    });
    const r = await runCandor(['lint', '.', '--format', 'sarif'], { cwd: dir });
    const log = JSON.parse(r.stdout);
    const validate = sarifValidator();
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    const result = log.runs[0].results[0];
    expect(result.ruleId).toBe('team/kindly-note');
    expect(log.runs[0].tool.driver.rules[result.ruleIndex].shortDescription.text).toBe('Say it plainly.');
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('with%20space%20%26%20%C3%BCn%C3%AFcode.txt');
    expect(log.runs[0].invocations[0].toolExecutionNotifications[0]).toMatchObject({ level: 'note', descriptor: { id: 'too-large' } });
  });

  it('github: workflow commands with positions and GitHub escaping', async () => {
    const r = await runCandor(['lint', 'examples/', '--format', 'github']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const all = json.files.flatMap((f) => f.findings.map((x) => ({ ...x, path: f.path })));
    const commands = lines.filter((l) => l.startsWith('::'));
    expect(commands).toHaveLength(all.length);
    commands.forEach((line, i) => {
      const f = all[i];
      const m = /^::(warning|error|notice) file=([^,]+),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),title=([^,:]+)::(.+)$/.exec(line);
      expect(m, line).not.toBeNull();
      expect(m![2]).toBe(f.path);
      expect(m!.slice(3, 7).map(Number)).toEqual([f.line, f.column, f.endLine, f.endColumn]);
      expect(decodeURIComponent(m![7])).toContain(f.ruleId);
      expect(m![8]).not.toMatch(/[\r\n]/);
    });
    expect(lines[lines.length - 1]).toMatch(/^Candor: \d+ problems/);

    const dir = workspace({
      '.candor.json': teamConfig({}, [{ id: 'team/odd', category: 'cliche', patterns: ['kindly note'], message: '100% scripted:\nsay it, plainly', suggestions: ['note'] }] as any),
      'a,b:c%.txt': 'Hi,\r\nKindly note the hours.\n',
    });
    const odd = await runCandor(['lint', '.', '--format', 'github'], { cwd: dir });
    expect(odd.stdout.split('\n')[0]).toBe(
      '::warning file=a%2Cb%3Ac%25.txt,line=2,col=1,endLine=2,endColumn=12,title=team/odd%3A “Kindly note”::100%25 scripted:%0Asay it, plainly%0ATry: “Note”',
    );
  });

  it('junit: well-formed XML, a testsuite per file and a failure per finding, escaped', async () => {
    const r = await runCandor(['lint', 'examples/', '--format', 'junit']);
    expect(r.code).toBe(0);
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(r.stdout);
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s: any) => s.name)).toEqual(json.files.map((f) => f.path));
    suites.forEach((s: any, i: number) => {
      const f = json.files[i];
      expect(Number(s.failures)).toBe(f.findings.length);
      const failures = s.testcase.filter((c: any) => c.failure);
      expect(failures.map((c: any) => c.failure.type)).toEqual(f.findings.map((x) => x.ruleId));
    });
    expect(Number(doc.testsuites.failures)).toBe(json.summary.findings);

    const dir = workspace({
      '.candor.json': teamConfig({}, [{ id: 'team/xml', category: 'cliche', patterns: ['kindly note'], message: 'Use <plain> & "simple" words\u0007', suggestions: ['note ]]> this'] }] as any),
      'a<b>&.txt': 'Kindly note the hours.\n',
    });
    const odd = await runCandor(['lint', '.', '--format', 'junit'], { cwd: dir });
    expect(XMLValidator.validate(odd.stdout)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', processEntities: true, htmlEntities: true }).parse(odd.stdout);
    const tc = parsed.testsuites.testsuite.testcase;
    expect(parsed.testsuites.testsuite.name).toBe('a<b>&.txt');
    expect(tc.failure.message).toBe('Use <plain> & "simple" words\uFFFD “Kindly note”');
    expect(tc.failure['#text']).toContain('Try: “Note ]]> this”');
  });

  it('compact: file:line:col: severity message [rule]', async () => {
    const r = await runCandor(['lint', 'examples/', '--format', 'compact']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const all = json.files.flatMap((f) => f.findings.map((x) => ({ ...x, path: f.path })));
    expect(lines.slice(0, -1)).toEqual(all.map((f) => `${f.path}:${f.line}:${f.column}: ${f.severity} ${f.message.replace(/\s+/g, ' ')} “${f.text.replace(/\s+/g, ' ')}” [${f.ruleId}]`));
    expect(lines[lines.length - 1]).toMatch(/^\d+ problems \(0 errors, \d+ warnings\) in 5 files$/);
  });

  it('--output-file writes every format to a file and nothing to stdout', async () => {
    const dir = workspace({});
    for (const format of ['stylish', 'json', 'compact', 'sarif', 'github', 'junit']) {
      const out = path.join(dir, `report.${format}`);
      const r = await runCandor(['lint', 'examples/', '--format', format, '--output-file', out]);
      expect(r.code, format).toBe(0);
      expect(r.stdout, format).toBe('');
      const text = readFileSync(out, 'utf8');
      expect(text.length, format).toBeGreaterThan(100);
      expect(text, format).not.toMatch(/\u001b\[/);
    }
  });

  it('stylish and json carry the same summary: categories, top rules, files, time', async () => {
    const r = await runCandor(['lint', 'examples/']);
    const s = json.summary;
    expect(r.stdout).toContain(`by category: cliche ${s.byCategory.cliche} · defensive ${s.byCategory.defensive} · hierarchy ${s.byCategory.hierarchy}`);
    expect(r.stdout).toContain(`most frequent: ${s.byRule[0].ruleId} (${s.byRule[0].count})`);
    expect(r.stdout).toMatch(new RegExp(`${s.filesChecked} files checked in \\d+ ms`));
    expect(s).toMatchObject({ filesChecked: 5, cached: 0, threads: 1 });
    expect(typeof s.durationMs).toBe('number');
  });
});
