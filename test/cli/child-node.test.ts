import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCandor } from '../helpers';
import { workspace } from './util';

/**
 * bin/candor.js re-runs a large `lint` in a child Node with a smaller V8 thread pool on
 * machines with two to four cores (see the comment there). The child must be invisible: same
 * output, same exit code, signals reach it, and small runs never pay for a second start.
 */
const cores = availableParallelism();
const expectChild = cores >= 2 && cores <= 4;
const CHILD = `candor: running in a child Node with --v8-pool-size=${cores - 1}`;

function library(files: number): string {
  const content: Record<string, string> = {};
  for (let i = 0; i < files; i++) {
    content[`macros/m${i % 7}/reply-${i}.md`] = i % 50 === 0 ? `Per our policy, refunds take time (${i}).\n` : `Thanks for writing in, ticket ${i}.\n`;
  }
  return workspace(content);
}

const stable = (out: string) => {
  const report = JSON.parse(out);
  delete report.summary.durationMs;
  return report;
};

describe('child Node for large runs', () => {
  const big = library(600);

  it(`a 600-file run ${expectChild ? 'runs in a child Node' : 'stays in one process'} (${cores} cores) with the same report and exit code`, async () => {
    const viaChild = await runCandor(['lint', '--format', 'json', '--max-warnings', '0', '.'], { cwd: big, env: { CANDOR_DEBUG_REEXEC: '1' } });
    const here = await runCandor(['lint', '--format', 'json', '--max-warnings', '0', '.'], { cwd: big, env: { CANDOR_DEBUG_REEXEC: '1', CANDOR_NO_REEXEC: '1' } });
    if (expectChild) expect(viaChild.stderr).toContain(CHILD);
    else expect(viaChild.stderr).not.toContain('child Node');
    // The child says when it is done and the CLI exits with its code without waiting for the
    // child's teardown; the child's stderr (written before) is all there.
    if (expectChild && process.platform !== 'win32') expect(viaChild.stderr).toContain('candor: the child Node finished with exit code 1');
    expect(viaChild.stderr).toContain('candor: 12 warnings found; --max-warnings is 0.');
    // CANDOR_WAIT_FOR_CHILD=1: the CLI waits for the child's end (for /usr/bin/time and the like).
    const waited = await runCandor(['lint', '--format', 'json', '--max-warnings', '0', '.'], { cwd: big, env: { CANDOR_DEBUG_REEXEC: '1', CANDOR_WAIT_FOR_CHILD: '1' } });
    expect(waited.stderr).not.toContain('finished with exit code');
    expect(waited.code).toBe(1);
    expect(stable(waited.stdout)).toEqual(stable(here.stdout));
    expect(here.stderr).not.toContain('child Node');
    expect(stable(viaChild.stdout)).toEqual(stable(here.stdout));
    expect(stable(viaChild.stdout).summary.findings).toBe(12);
    expect(viaChild.code).toBe(1);
    expect(here.code).toBe(1);
  });

  it.runIf(expectChild && process.platform === 'linux')('leaves the terminal as the shell set it after the CLI exited', () => {
    // The CLI exits before its child Node has gone through its teardown, in which Node puts a
    // terminal it started on back into the mode it found. Here, as a shell would, the terminal
    // is switched out of canonical mode right after the CLI exits; the child must not switch it
    // back. It could in about one run of five before the child parked its stdio on /dev/null.
    const hasScript = spawnSync('script', ['--version']).status === 0;
    if (!hasScript) {
      if (process.env.CI === 'true') throw new Error('util-linux "script" is needed for this test under CI');
      return;
    }
    const cli = `"${process.execPath}" "${path.join(ROOT, 'bin/candor.js')}" lint --format json .`;
    for (let i = 0; i < 6; i++) {
      const run = spawnSync('script', ['-qc', `${cli} > /dev/null; stty -icanon; sleep 0.3; stty -a`, '/dev/null'], { cwd: big, encoding: 'utf8' });
      expect(run.stdout).toMatch(/(^|\s)-icanon(\s|$)/);
    }
  });

  it('a glob over the library counts its folder', async () => {
    const r = await runCandor(['lint', '--format', 'json', 'macros/**/*.md'], { cwd: big, env: { CANDOR_DEBUG_REEXEC: '1' } });
    expect(r.stderr.includes(CHILD)).toBe(expectChild);
    expect(JSON.parse(r.stdout).summary.filesChecked).toBe(600);
  });

  it('small runs, single files, other commands and explicit --threads stay in one process', async () => {
    const small = library(100);
    for (const args of [['lint', '.'], ['lint', 'macros/m1/reply-1.md'], ['--version']]) {
      const r = await runCandor(args, { cwd: small, env: { CANDOR_DEBUG_REEXEC: '1' } });
      expect(r.stderr, args.join(' ')).not.toContain('child Node');
    }
    const threads = await runCandor(['lint', '--threads', '2', '.'], { cwd: big, env: { CANDOR_DEBUG_REEXEC: '1' } });
    expect(threads.stderr).not.toContain('child Node');
    expect(threads.code).toBe(0);
  });

  it.runIf(expectChild && process.platform !== 'win32')('a signal to the CLI reaches the child, and the CLI ends by it', async () => {
    // The child lints the folder and then waits for stdin ("-"), which stays open.
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/candor.js'), 'lint', '.', '-'], {
      cwd: big,
      env: { ...process.env, CANDOR_DEBUG_REEXEC: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((resolve) => {
      const check = () => (stderr.includes(CHILD) ? resolve() : setTimeout(check, 20));
      check();
    });
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGTERM');
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
    expect(code).toBeNull();
    expect(signal).toBe('SIGTERM');
  });
});
