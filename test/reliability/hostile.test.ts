import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { lint } from '../../server/src/engine/lint';
import { compileRuleSet } from '../../server/src/engine/ruleset';
import { builtinRules } from '../../server/src/rules/builtin';
import { ROOT, runCandor } from '../helpers';

/**
 * Hostile or broken input: every case gets a clear message, bounded time and memory, and
 * the rest of the run continues. Times here are generous ceilings against hangs (a hang
 * would blow through them by orders of magnitude), not performance measurements — those
 * live in bench/.
 */
const phrase = 'Per our policy, we are unable to help. ';

function timedLint(text: string, format: NonNullable<Parameters<typeof lint>[1]>['format']) {
  const t0 = performance.now();
  const r = lint(text, { format });
  return { r, ms: performance.now() - t0 };
}

describe('hostile input to the engine', () => {
  it('a 5 MB single line', () => {
    const text = phrase.repeat(Math.ceil(5_000_000 / phrase.length));
    const { r, ms } = timedLint(text, 'text');
    expect(r.findings.length).toBeGreaterThan(1000);
    expect(ms).toBeLessThan(30_000);
  });

  it('deeply nested HTML (20,000 levels)', () => {
    const text = '<div>'.repeat(20_000) + '<p>Per our policy</p>' + '</div>'.repeat(20_000);
    const { r, ms } = timedLint(text, 'html');
    expect(r.findings.map((f) => f.text)).toEqual(['Per our policy']);
    expect(ms).toBeLessThan(20_000);
  });

  it('JSON nested 10,000 levels', () => {
    const text = '['.repeat(10_000) + '"Per our policy, no."' + ']'.repeat(10_000);
    const { ms } = timedLint(text, 'json');
    expect(ms).toBeLessThan(20_000);
  });

  it('a YAML alias bomb (billion laughs) is not expanded', () => {
    const lines = ['a: &a ["Per our policy", "Per our policy"]'];
    for (let i = 1; i < 12; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill('*' + String.fromCharCode(96 + i)).join(', ')}]`);
    const text = lines.join('\n') + '\n';
    const { r, ms } = timedLint(text, 'yaml');
    expect(ms).toBeLessThan(5_000);
    expect(r.findings.length).toBeLessThanOrEqual(2);
  });

  it('unterminated template tags and comments do not swallow or hang', () => {
    const text = '{{ '.repeat(50_000) + '\nPer our policy.\n' + '{% comment %}'.repeat(1000) + '<!--'.repeat(1000);
    for (const format of ['text', 'html', 'markdown'] as const) {
      const { ms } = timedLint(text, format);
      expect(ms).toBeLessThan(20_000);
    }
  });

  it('malformed JSON, YAML and HTML give a problem, not an exception', () => {
    expect(lint('{"a": "Per our policy", ', { format: 'json' }).problems.length).toBeGreaterThan(0);
    expect(lint('a: "Per our policy\nb: [', { format: 'yaml' }).problems.length).toBeGreaterThan(0);
    expect(() => lint('<p <b>Per our policy</p></div></span><<<>>', { format: 'html' })).not.toThrow();
  });

  it('an "evil" custom pattern cannot hang the matcher (no regular expressions)', () => {
    const ruleSet = compileRuleSet(builtinRules, {
      custom: [{ id: 'team/evil', category: 'cliche', principle: 'honesty', message: 'm', rationale: '', patterns: ['(a|a a|a a a)? (a|a a)? (a)? a a a a b'], suggestions: [] }],
    });
    const text = 'a '.repeat(200_000);
    const t0 = performance.now();
    const r = lint(text, { format: 'text', ruleSet });
    expect(r.findings).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
});

describe('hostile input to the CLI (a real process)', () => {
  it('a 50 MB file is skipped with a message and the run continues', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'candor-hostile-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(path.join(dir, 'huge.txt'), Buffer.alloc(50_000_000, 'a'));
    writeFileSync(path.join(dir, 'ok.txt'), 'Per our policy, no.\n');
    mkdirSync(path.join(dir, 'sub'));
    writeFileSync(path.join(dir, 'sub', 'bin.txt'), Buffer.from([0, 1, 2, 3, 0, 255]));
    const r = await runCandor(['lint', '--format', 'json', '.'], { cwd: dir });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const huge = report.files.find((f: any) => f.path === 'huge.txt');
    expect(huge.notices[0].kind).toBe('too-large');
    expect(huge.notices[0].message).toMatch(/50\.0 MB is over the 2\.0 MB limit/);
    expect(report.files.find((f: any) => f.path === 'ok.txt').findings.length).toBe(1);
    expect(report.files.find((f: any) => f.path === 'sub/bin.txt').notices[0].kind).toBe('binary');
  });

  it('the network guard itself catches a connection attempt (so the next test can fail)', async () => {
    const { spawnSync } = await import('node:child_process');
    const { existsSync } = await import('node:fs');
    const logDir = mkdtempSync(path.join(tmpdir(), 'candor-net-'));
    onTestFinished(() => rmSync(logDir, { recursive: true, force: true }));
    const log = path.join(logDir, 'network.log');
    spawnSync(process.execPath, ['--require', path.join(ROOT, 'test/reliability/no-network-hook.cjs'), '-e', "require('http').get('http://127.0.0.1:9')"], { env: { ...process.env, CANDOR_NETWORK_LOG: log } });
    expect(existsSync(log)).toBe(true);
  });

  it('opens no network connection', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'candor-net-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const log = path.join(dir, 'network.log');
    const r = await runCandor(['lint', '--format', 'json', 'examples/'], {
      env: { NODE_OPTIONS: `--require ${path.join(ROOT, 'test/reliability/no-network-hook.cjs')}`, CANDOR_NETWORK_LOG: log },
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary.findings).toBeGreaterThan(0);
    const { existsSync } = await import('node:fs');
    expect(existsSync(log)).toBe(false);
  });
});
