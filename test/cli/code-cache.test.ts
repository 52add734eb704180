import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ROOT, runCandor } from '../helpers';

/**
 * bin/candor.js loads the bundle with the V8 code cache the build writes (see scripts/build.mjs).
 * The cache is only a start-up optimization: the build must produce one this Node accepts,
 * and a cache that does not fit must be rejected without changing anything the CLI does.
 */
describe('CLI code cache', () => {
  it('the build wrote a cache that this Node accepts', async () => {
    const r = await runCandor(['lint', 'examples/', '--format', 'json'], { env: { CANDOR_DEBUG_CODE_CACHE: '1' } });
    expect(r.stderr).toContain('code cache used');
    expect(JSON.parse(r.stdout).summary.findings).toBeGreaterThan(0);
  });

  it('a corrupt or missing cache is ignored and the output is the same', async () => {
    const reference = await runCandor(['lint', 'examples/', '--format', 'json']);
    const copy = mkdtempSync(path.join(os.tmpdir(), 'candor-codecache-'));
    onTestFinished(() => rmSync(copy, { recursive: true, force: true }));
    mkdirSync(path.join(copy, 'bin'));
    mkdirSync(path.join(copy, 'server/dist'), { recursive: true });
    copyFileSync(path.join(ROOT, 'bin/candor.js'), path.join(copy, 'bin/candor.js'));
    copyFileSync(path.join(ROOT, 'server/dist/cli.cjs'), path.join(copy, 'server/dist/cli.cjs'));
    const run = () =>
      spawnSync(process.execPath, [path.join(copy, 'bin/candor.js'), 'lint', 'examples/', '--format', 'json'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, CANDOR_DEBUG_CODE_CACHE: '1', NO_COLOR: '1' },
      });
    const stable = (out: string) => {
      const report = JSON.parse(out);
      delete report.summary.durationMs;
      return report;
    };

    const missing = run();
    expect(missing.stderr).toContain('code cache missing');
    expect(stable(missing.stdout)).toEqual(stable(reference.stdout));

    writeFileSync(path.join(copy, 'server/dist/cli.cjs.cache'), Buffer.from('not a V8 code cache at all'));
    const corrupt = run();
    expect(corrupt.stderr).toContain('code cache rejected');
    expect(corrupt.status).toBe(reference.code);
    expect(stable(corrupt.stdout)).toEqual(stable(reference.stdout));
  });
});
