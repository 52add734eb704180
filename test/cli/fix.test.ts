import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ROOT, runCandor } from '../helpers';
import { lintJson, read, snapshot, TEAM_RULES, teamConfig, workspace } from './util';

/** Runs the CLI and keeps stdout as bytes. */
function runCandorBytes(args: string[], cwd: string, input: Buffer): Promise<{ code: number | null; stdout: Buffer }> {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/candor.js'), ...args], { cwd, input, env: { ...process.env, NO_COLOR: '1' } });
  return Promise.resolve({ code: r.status, stdout: r.stdout });
}

/** One template per supported format, each with fixable phrases next to template syntax. */
const FIXTURES: Record<string, string> = {
  'reply.txt': 'Dear valued customer,\n\nPlease be advised that the store is closed. Kindly note the new hours and reply at your earliest convenience.\nThe customer is king.\n',
  'reply.md':
    '# Store hours\n\nDear valued customer,\n\nPlease be advised that the store is closed on **Sunday**.\n\n- Kindly note the [new hours](https://example.com/kindly-note).\n- Reply at your earliest convenience.\n\n```\nKindly note: code is never touched\n```\n',
  'reply.html':
    '<html><body>\n<p>Dear valued customer,</p>\n<p>Please be advised that the <b>store</b> is closed.</p>\n<p title="Kindly note the hours">Kindly note the <a href="/hours?kindly-note=1">hours</a>.</p>\n<p>Holistic synergy wins.</p>\n</body></html>\n',
  'reply.liquid':
    '{% if customer %}Dear valued customer,{% endif %}\n\nHi {{ customer.first_name }}, kindly note {{ order.name }} ships soon. Please be advised that {{ shop.name }} is closed.\nReply at your earliest convenience.\n{% comment %}Kindly note: internal{% endcomment %}\n',
  'macros.json':
    JSON.stringify(
      {
        macros: [
          { id: 1, title: 'Delay', actions: [{ field: 'comment_value', value: 'Hi {{ticket.requester.first_name}},\n\nKindly note the delay.\nPlease be advised that we ship Monday. Holistic synergy!' }] },
          { id: 2, title: 'Greeting', actions: [{ field: 'comment_value', value: 'Dear valued customer, reply at your earliest convenience.' }] },
        ],
      },
      null,
      2,
    ) + '\n',
  'responses.yml':
    'responses:\n  - name: delay\n    body: |\n      Hi {{ name }},\n      Please be advised that your order is late.\n      Kindly note the new date.\n  - name: "refund"\n    body: "Dear valued customer, holistic synergy at your earliest convenience."\n  - name: plain\n    body: Kindly note the hours\n',
};

const EXPECTED_FIXED: Record<string, string[]> = {
  'reply.txt': ['Hi there,', 'The store is closed. Note the new hours and reply when you can.', 'The customer is king.'],
  'reply.md': ['Hi there,', 'The store is closed on **Sunday**.', '- Note the [new hours](https://example.com/kindly-note).', 'Reply when you can.', 'Kindly note: code is never touched'],
  'reply.html': ['<p>Hi there,</p>', '<p>The <b>store</b> is closed.</p>', '<p title="Note the hours">Note the <a href="/hours?kindly-note=1">hours</a>', '&amp; simple \\ talk wins.'],
  'reply.liquid': ['{% if customer %}Hi there,{% endif %}', 'Hi {{ customer.first_name }}, note {{ order.name }} ships soon.', '{{ shop.name }} is closed.', 'Reply when you can.', '{% comment %}Kindly note: internal{% endcomment %}'],
};

/** Template tags, HTML tags (minus their prose attributes), link targets and code fences. */
function templateSyntax(text: string): string[] {
  return (text.match(/\{\{.*?\}\}|\{%.*?%\}|<[^>]*>|\]\([^)]*\)|```/gs) ?? []).map((t) => t.replace(/\b(title|alt)="[^"]*"/g, '$1=…'));
}

function yamlShape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(yamlShape);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, yamlShape(x)]));
  return typeof v;
}

describe('--fix', () => {
  it('fixes every format in place, keeps template syntax and structure, and is idempotent', async () => {
    const dir = workspace({ '.candor.json': teamConfig(), ...FIXTURES });
    const before = Object.fromEntries(Object.keys(FIXTURES).map((f) => [f, read(dir, f)]));
    const first = await lintJson(['.', '--fix'], { cwd: dir });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    for (const [file, lines] of Object.entries(EXPECTED_FIXED)) {
      const text = read(dir, file);
      for (const line of lines) expect(text, file).toContain(line);
    }
    for (const file of Object.keys(FIXTURES)) {
      const after = read(dir, file);
      expect(after, file).not.toBe(before[file]);
      // Template syntax, tags, links and code are byte for byte the same.
      expect(templateSyntax(after), file).toEqual(templateSyntax(before[file]));
      // Only the non-fixable finding (and nothing fixable) is left.
      const left = first.report.files.find((f) => f.path === file)!;
      expect(left.findings.filter((f) => f.fixable), file).toEqual([]);
      expect(left.fixed, file).toBeGreaterThan(0);
    }
    expect(first.report.files.find((f) => f.path === 'reply.txt')!.findings.map((f) => f.ruleId)).toEqual(['team/king']);
    expect(first.report.summary.fixed).toBeGreaterThanOrEqual(20);
    expect(first.report.summary.filesFixed).toBe(Object.keys(FIXTURES).length);

    // JSON stays JSON with the same structure; the new text is escaped and decodes back.
    const json = JSON.parse(read(dir, 'macros.json'));
    const original = JSON.parse(before['macros.json']);
    expect(Object.keys(json)).toEqual(Object.keys(original));
    expect(json.macros.map((m: any) => m.title)).toEqual(['Delay', 'Greeting']);
    expect(json.macros[0].actions[0].value).toMatch(/^Hi \{\{ticket\.requester\.first_name\}\},\n\nNote the delay\.\nWe ship Monday\. "[Pp]lain" & simple \\ talk!$/);
    expect(json.macros[1].actions[0].value).toBe('Hi there, reply when you can.');

    // YAML stays YAML with the same keys; quoted and block scalars both fixed.
    const yaml = parseYaml(read(dir, 'responses.yml'));
    expect(yamlShape(yaml)).toEqual(yamlShape(parseYaml(before['responses.yml'])));
    expect(yaml.responses[0].body).toBe('Hi {{ name }},\nYour order is late.\nNote the new date.\n');
    expect(yaml.responses[1].body).toBe('Hi there, "plain" & simple \\ talk when you can.');
    expect(yaml.responses[2].body).toBe('Note the hours');

    // HTML: still well-formed (every tag kept), the new text entity-escaped.
    expect(XMLValidator.validate(read(dir, 'reply.html'))).toBe(true);

    // A second --fix changes nothing.
    const snap = snapshot(dir);
    const second = await lintJson(['.', '--fix'], { cwd: dir });
    expect(second.code).toBe(0);
    expect(second.report.summary.fixed).toBe(0);
    expect(snapshot(dir)).toEqual(snap);
  });

  it('--fix-dry-run prints a unified diff that patch applies to the same result, and writes nothing', async () => {
    const dir = workspace({ '.candor.json': teamConfig(), ...FIXTURES });
    const snap = snapshot(dir);
    const dry = await runCandor(['lint', '.', '--fix-dry-run', '--format', 'json'], { cwd: dir });
    expect(dry.code).toBe(0);
    expect(snapshot(dir)).toEqual(snap);
    expect(dry.stdout).toMatch(/^--- a\/macros\.json\n\+\+\+ b\/macros\.json\n@@ -\d+,\d+ \+\d+,\d+ @@/m);
    // The report goes to stderr so stdout stays a clean patch.
    const report = JSON.parse(dry.stderr);
    expect(report.summary.fixed).toBeGreaterThan(0);

    const fixedDir = workspace({ '.candor.json': teamConfig(), ...FIXTURES });
    await runCandor(['lint', '.', '--fix'], { cwd: fixedDir });
    writeFileSync(path.join(dir, 'fix.patch'), dry.stdout);
    execFileSync('patch', ['-p1', '-s', '-i', 'fix.patch'], { cwd: dir });
    for (const file of Object.keys(FIXTURES)) expect(read(dir, file), file).toBe(read(fixedDir, file));
  });

  it('--fix-type limits fixes to the given categories', async () => {
    const dir = workspace({ '.candor.json': teamConfig(), 'a.txt': FIXTURES['reply.txt'] });
    const r = await lintJson(['a.txt', '--fix', '--fix-type', 'hierarchy'], { cwd: dir });
    expect(r.code).toBe(0);
    const text = read(dir, 'a.txt');
    expect(text).toContain('Hi there,');
    expect(text).toContain('Please be advised that');
    expect(text).toContain('at your earliest convenience');
    const r2 = await lintJson(['a.txt', '--fix', '--fix-type', 'cliche,defensive'], { cwd: dir });
    expect(r2.report.summary.fixed).toBe(3);
    expect(read(dir, 'a.txt')).toContain('The store is closed. Note the new hours and reply when you can.');
    const bad = await runCandor(['lint', 'a.txt', '--fix', '--fix-type', 'grammar'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--fix-type takes categories/);
    const alone = await runCandor(['lint', 'a.txt', '--fix-type', 'cliche'], { cwd: dir });
    expect(alone.code).toBe(2);
  });

  it('keeps CRLF line endings, a UTF-8 BOM, UTF-16 encoding and the file mode', async () => {
    const crlf = '\uFEFFDear valued customer,\r\nKindly note the hours.\r\nThanks\r\n';
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Kindly note the hours.\r\n', 'utf16le')]);
    const dir = workspace({ '.candor.json': teamConfig(), 'crlf.txt': crlf, 'wide.txt': utf16 });
    chmodSync(path.join(dir, 'crlf.txt'), 0o640);
    const r = await lintJson(['.', '--fix'], { cwd: dir });
    expect(r.code).toBe(0);
    const bytes = readFileSync(path.join(dir, 'crlf.txt'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toBe('\uFEFFHi there,\r\nNote the hours.\r\nThanks\r\n');
    expect(statSync(path.join(dir, 'crlf.txt')).mode & 0o777).toBe(0o640);
    const wide = readFileSync(path.join(dir, 'wide.txt'));
    expect([...wide.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(wide.subarray(2).toString('utf16le')).toBe('Note the hours.\r\n');
    // No temporary files are left behind.
    expect(Object.keys(snapshot(dir)).sort()).toEqual(['.candor.json', 'crlf.txt', 'wide.txt']);
  });

  it('applies overlapping fixes in passes with a re-lint between them, and stops a fix loop', async () => {
    const rules = [
      { id: 'team/kindly-note', category: 'defensive', patterns: ['kindly note'], message: 'm', suggestions: ['note'], fixable: true },
      { id: 'team/note-that', category: 'defensive', patterns: ['note that'], message: 'm', suggestions: [''], fixable: true },
      { id: 'team/ping', category: 'cliche', patterns: ['ping pong'], message: 'm', suggestions: ['pong ping'], fixable: true },
      { id: 'team/pong', category: 'cliche', patterns: ['pong ping'], message: 'm', suggestions: ['ping pong'], fixable: true },
    ];
    const dir = workspace({ '.candor.json': teamConfig({}, rules), 'a.txt': 'Kindly note that the shop is open.\n', 'loop.txt': 'We play ping pong.\n' });
    const r = await lintJson(['.', '--fix'], { cwd: dir });
    expect(r.code).toBe(0);
    // Pass 1: "Kindly note" → "Note" (the overlapping "note that" waits); pass 2: "Note that" removed.
    expect(read(dir, 'a.txt')).toBe('The shop is open.\n');
    expect(r.report.files.find((f) => f.path === 'a.txt')!.fixed).toBe(2);
    // Two rules that undo each other terminate (bounded passes, cycle detection).
    expect(['We play ping pong.\n', 'We play pong ping.\n']).toContain(read(dir, 'loop.txt'));
  });

  it('with stdin, --fix prints the fixed text to stdout and the report to stderr', async () => {
    const dir = workspace({ '.candor.json': teamConfig() });
    const r = await runCandor(['lint', '-', '--stdin-filename', 'reply.liquid', '--fix', '--format', 'json'], { cwd: dir, input: FIXTURES['reply.liquid'] });
    expect(r.code).toBe(0);
    for (const line of EXPECTED_FIXED['reply.liquid']) expect(r.stdout).toContain(line);
    const report = JSON.parse(r.stderr);
    expect(report.files[0].path).toBe('reply.liquid');
    expect(report.summary.fixed).toBeGreaterThan(0);
    // Nothing to fix: the text comes back unchanged.
    const same = await runCandor(['lint', '-', '--fix'], { cwd: dir, input: 'All good here.\n' });
    expect(same.stdout).toBe('All good here.\n');
    const dry = await runCandor(['lint', '-', '--stdin-filename', 'a.txt', '--fix-dry-run'], { cwd: dir, input: 'Kindly note the hours.\n' });
    expect(dry.stdout).toBe('--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-Kindly note the hours.\n+Note the hours.\n');
  });

  it('does not fix rules that are not marked fixable, nor files that are not valid UTF-8', async () => {
    const dir = workspace({
      '.candor.json': teamConfig(),
      'king.txt': 'The customer is king.\n',
      'latin1.txt': Buffer.from('Kindly note the caf\xe9 hours.\n', 'latin1'),
    });
    const snap = snapshot(dir);
    const r = await lintJson(['.', '--fix'], { cwd: dir });
    expect(snapshot(dir)).toEqual(snap);
    const latin = r.report.files.find((f) => f.path === 'latin1.txt')!;
    expect(latin.notices.map((n) => n.kind)).toEqual(['encoding', 'fix']);
    expect(r.report.files.find((f) => f.path === 'king.txt')!.findings).toHaveLength(1);
    expect(TEAM_RULES.find((x) => x.id === 'team/king')!.fixable).toBeUndefined();
  });

  it('follows a symlink: the target is fixed, the link stays a link', async () => {
    const dir = workspace({ '.candor.json': teamConfig(), 'real/a.txt': 'Kindly note the hours.\n' });
    symlinkSync(path.join(dir, 'real/a.txt'), path.join(dir, 'link.txt'));
    const r = await lintJson(['link.txt', '--fix'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(lstatSync(path.join(dir, 'link.txt')).isSymbolicLink()).toBe(true);
    expect(read(dir, 'real/a.txt')).toBe('Note the hours.\n');
  });

  it('with stdin, --fix passes bytes it cannot fix through unchanged', async () => {
    const dir = workspace({ '.candor.json': teamConfig() });
    const input = Buffer.from('Kindly note the caf\xe9 hours.\n', 'latin1');
    const r = await runCandorBytes(['lint', '-', '--fix'], dir, input);
    expect(r.stdout.equals(input)).toBe(true);
  });

  it('rejects --fix together with --fix-dry-run', async () => {
    const dir = workspace({ 'a.txt': 'x\n' });
    const r = await runCandor(['lint', 'a.txt', '--fix', '--fix-dry-run'], { cwd: dir });
    expect(r.code).toBe(2);
  });
});
