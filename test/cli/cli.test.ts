import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCandor } from '../helpers';
import { lintJson, workspace, type JsonReport } from './util';


describe('candor lint (the real CLI as a process)', () => {
  it('lints the bundled examples with findings in all three categories and exit 0 (warnings only)', async () => {
    const r = await lintJson(['examples/']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = r.report!;
    expect(report.version).toBe(1);
    expect(report.summary.byCategory.cliche).toBeGreaterThan(0);
    expect(report.summary.byCategory.defensive).toBeGreaterThan(0);
    expect(report.summary.byCategory.hierarchy).toBeGreaterThan(0);
    // Every finding points at the file's original characters.
    for (const file of report.files) {
      const text = readFileSync(path.join(ROOT, file.path), 'utf8');
      for (const f of file.findings) {
        expect(text.slice(f.offset, f.endOffset)).toBe(f.text);
        expect(f.line).toBeGreaterThanOrEqual(1);
        expect(f.suggestions.length).toBeGreaterThan(0);
      }
    }
    // The clean example has no findings.
    expect(report.files.find((f) => f.path === 'examples/order-delay.md')?.findings).toEqual([]);
  });

  it('prints a readable stylish report with suggestions and a summary', async () => {
    const r = await runCandor(['lint', 'examples/refund-denied.liquid']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/examples\/refund-denied\.liquid/);
    expect(r.stdout).toMatch(/defensive\/[a-z-]+/);
    expect(r.stdout).toMatch(/→ try “/);
    expect(r.stdout).toMatch(/by category: cliche \d+ · defensive \d+ · hierarchy \d+/);
    expect(r.stdout).toMatch(/1 file checked in \d+ ms/);
  });

  it('reads stdin with --stdin-filename choosing the format', async () => {
    const input = '<p>Per our policy, we cannot refund.</p>\n<!-- Per our policy -->\n';
    const r = await lintJson(['-', '--stdin-filename', 'reply.html'], { input });
    expect(r.code).toBe(0);
    const findings = r.report!.files[0].findings;
    expect(r.report!.files[0].path).toBe('reply.html');
    expect(findings.map((f) => f.text)).toEqual(['Per our policy']);
    expect(findings[0].offset).toBe(3);
  });

  it('exits 1 on error-level findings and on too many warnings', async () => {
    const dir = workspace({
      '.candor.json': '{ // comments are fine\n  "rules": { "defensive": "error" }\n}\n',
      'a.txt': 'Per our policy, no.\n',
      'b.txt': 'We apologize for any inconvenience.\n',
    });
    expect((await runCandor(['lint', 'a.txt'], { cwd: dir })).code).toBe(1);
    expect((await runCandor(['lint', 'b.txt'], { cwd: dir })).code).toBe(0);
    const tooMany = await runCandor(['lint', 'b.txt', '--max-warnings', '0'], { cwd: dir });
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toMatch(/--max-warnings is 0/);
    const quiet = await lintJson(['b.txt', '--quiet'], { cwd: dir });
    expect(quiet.report!.files[0].findings).toEqual([]);
  });

  it('exits 2 with file, line and problem for an invalid config', async () => {
    const dir = workspace({ '.candor.json': '{\n  "rules": {\n    "cliche": "loud"\n  }\n}\n', 'a.txt': 'Per our policy.\n' });
    const r = await runCandor(['lint', 'a.txt'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.candor\.json:3:15: error: .*cliche.*must be equal to one of the allowed values/);
    const bad = workspace({ '.candor.json': '{ "rules": { ', 'a.txt': 'x' });
    const r2 = await runCandor(['lint', 'a.txt'], { cwd: bad });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/\.candor\.json:1:\d+: error: Invalid JSON/);
    const unknown = workspace({ '.candor.json': '{ "rulez": {} }', 'a.txt': 'x' });
    const r3 = await runCandor(['lint', 'a.txt'], { cwd: unknown });
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/Unknown property "rulez"/);
  });

  it('exits 2 on usage and I/O errors with a clear message', async () => {
    const missing = await runCandor(['lint', 'no/such/file.txt']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no files match "no\/such\/file.txt"/);
    const fmt = await runCandor(['lint', '--format', 'xml', 'examples']);
    expect(fmt.code).toBe(2);
    expect(fmt.stderr).toMatch(/unknown format "xml"/);
    const none = await runCandor(['lint']);
    expect(none.code).toBe(2);
    const flag = await runCandor(['lint', '--frobnicate', 'examples']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/frobnicate/);
    const cfg = await runCandor(['lint', '--config', 'nope.json', 'examples']);
    expect(cfg.code).toBe(2);
    expect(cfg.stderr).toMatch(/Config file not found/);
  });

  it('skips binary and oversized files with a note and keeps going', async () => {
    const dir = workspace({
      '.candor.json': '{ "maxFileSize": 2048 }',
      'logo.txt': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]),
      'big.txt': 'Per our policy. '.repeat(500),
      'bad-utf8.txt': Buffer.concat([Buffer.from('Per our policy, no \xff refunds.', 'latin1')]),
      'ok.txt': 'Per our policy, no.\n',
    });
    const r = await lintJson(['.'], { cwd: dir });
    expect(r.code).toBe(0);
    const byPath = Object.fromEntries(r.report!.files.map((f) => [f.path, f]));
    expect(byPath['logo.txt'].notices[0]).toMatchObject({ kind: 'binary' });
    expect(byPath['big.txt'].notices[0]).toMatchObject({ kind: 'too-large' });
    expect(byPath['bad-utf8.txt'].notices[0]).toMatchObject({ kind: 'encoding' });
    expect(byPath['bad-utf8.txt'].findings.length).toBe(1);
    expect(byPath['ok.txt'].findings.length).toBe(1);
    expect(r.report!.summary.filesSkipped).toBe(2);
  });

  it('honours inline directives, ignore globs, .gitignore and allowed phrases', async () => {
    const dir = workspace({
      '.candor.json': JSON.stringify({ ignore: ['legacy/**'], allow: ['as previously stated'] }),
      '.gitignore': 'build/\n',
      'legacy/old.txt': 'Per our policy.\n',
      'build/out.txt': 'Per our policy.\n',
      'a.html': '<!-- candor-disable-next-line defensive/per-our-policy -->\n<p>Per our policy.</p>\n<p>Per our policy.</p>\n<p>As previously stated, no.</p>\n',
      'b.md': '<!-- candor-disable-file -->\nPer our policy.\n',
    });
    const r = await lintJson(['.'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.report!.files.map((f) => f.path).sort()).toEqual(['a.html', 'b.md']);
    const a = r.report!.files.find((f) => f.path === 'a.html')!;
    expect(a.findings.map((f) => f.line)).toEqual([3]);
    expect(r.report!.files.find((f) => f.path === 'b.md')!.findings).toEqual([]);
  });

  it("lints a team's own phrases from .candor.json and reports bad patterns", async () => {
    const dir = workspace({
      '.candor.json': JSON.stringify({
        phrases: [{ id: 'team/actioned', category: 'defensive', patterns: ['(promptly|swiftly) actioned'], message: 'Say it plainly.', suggestions: ['handled'] }],
        rules: { 'team/actioned': 'error' },
      }),
      'a.txt': 'Promptly actioned, as always.\n',
    });
    const r = await lintJson(['a.txt'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.report!.files[0].findings[0]).toMatchObject({ ruleId: 'team/actioned', text: 'Promptly actioned', severity: 'error' });
    expect(r.report!.files[0].findings[0].suggestions[0].text).toBe('Handled');
    const bad = workspace({
      '.candor.json': JSON.stringify({ phrases: [{ id: 'team/x', category: 'cliche', patterns: ['(oops'], message: 'm' }] }),
      'a.txt': 'x\n',
    });
    const r2 = await runCandor(['lint', 'a.txt'], { cwd: bad });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/Pattern "\(oops" of "team\/x": missing "\)"/);
  });

  it('prints help, version and the rule list', async () => {
    const help = (await runCandor(['--help'])).stdout;
    expect(help).toMatch(/Usage: candor lint/);
    for (const option of ['--format', '--output-file', '--fix', '--fix-dry-run', '--fix-type', '--baseline', '--baseline-create', '--baseline-update', '--cache', '--cache-location', '--threads', '--shard']) {
      expect(help).toContain(option);
    }
    expect(help).toMatch(/stylish, json, compact, sarif, github, junit/);
    expect((await runCandor(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+/);
    const rules = await runCandor(['rules']);
    expect(rules.code).toBe(0);
    expect(rules.stdout).toMatch(/defensive\/per-our-policy/);
  });
  it('hands a large report to a slow reader whole before it exits', async () => {
    // The CLI exits as soon as its output is flushed; a pipe that is not read holds only 64 KB.
    const dir = workspace(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`t${i}.txt`, 'Per our policy, we value your business.\n'.repeat(10)])));
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/candor.js'), 'lint', '--format', 'json', '.'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pause();
    await new Promise((r) => setTimeout(r, 700));
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout.length).toBeGreaterThan(1_000_000);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.files).toHaveLength(300);
  });
  it('hands a large report whole to a stdout that someone made non-blocking', () => {
    // The CLI writes to file descriptor 1 directly (server/src/cli/fd-output.ts); a write that
    // cannot complete now (EAGAIN) hands the rest to Node's stream. Node has no fcntl, so a
    // small Python script makes the pipe non-blocking, starts the CLI and reads late.
    const python = spawnSync('python3', ['--version']);
    if (python.error) {
      if (process.env.CI === 'true') throw new Error('python3 is needed for this test under CI');
      return;
    }
    const dir = workspace(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`t${i}.txt`, 'Per our policy, we value your business.\n'.repeat(10)])));
    const script = [
      'import os, fcntl, subprocess, sys, time',
      'r, w = os.pipe()',
      'fcntl.fcntl(w, fcntl.F_SETFL, fcntl.fcntl(w, fcntl.F_GETFL) | os.O_NONBLOCK)',
      'p = subprocess.Popen(sys.argv[1:], stdout=w)',
      'os.close(w)',
      'time.sleep(0.7)',
      'chunks = []',
      'while True:',
      '    b = os.read(r, 65536)',
      '    if not b: break',
      '    chunks.append(b)',
      'sys.stdout.buffer.write(b"".join(chunks))',
      'sys.exit(p.wait())',
    ].join('\n');
    const run = spawnSync('python3', ['-c', script, process.execPath, path.join(ROOT, 'bin/candor.js'), 'lint', '--format', 'json', '.'], { cwd: dir, maxBuffer: 1 << 28, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(1_000_000);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.files).toHaveLength(300);
    expect(report.summary.findings).toBe(300 * 20);
  });
  it('stops quietly when the reader goes away', () => {
    const dir = workspace(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`t${i}.txt`, 'Per our policy, we value your business.\n'.repeat(50)])));
    // `| head -c 10`: the reader takes 10 bytes and closes the pipe.
    const run = spawnSync('sh', ['-c', `"${process.execPath}" "${path.join(ROOT, 'bin/candor.js')}" lint --format json . | head -c 10`], { cwd: dir, encoding: 'utf8' });
    expect(run.stdout.startsWith('{')).toBe(true);
    expect(run.stderr).not.toMatch(/EPIPE|Error|at /);
  });
});
