import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('the bundles are pure ASCII (one non-ASCII character makes Node decode a bundle as UTF-8 into a two-byte string)', () => {
    for (const bundle of ['cli.cjs', 'server.cjs', 'index.cjs']) {
      const bytes = readFileSync(path.join(ROOT, 'server/dist', bundle));
      expect(bytes.findIndex((b) => b > 0x7f), bundle).toBe(-1);
    }
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

describe('CLI start-up', () => {
  it('loads nothing from node_modules and only the built-in modules a lint run needs', () => {
    const hook = path.join(os.tmpdir(), `candor-modules-${process.pid}.cjs`);
    writeFileSync(
      hook,
      `process.on('exit', () => require('fs').writeSync(2, '\\nMODULES ' + JSON.stringify({ files: Object.keys(require.cache), builtins: process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)) }) + '\\n'));`,
    );
    onTestFinished(() => rmSync(hook, { force: true }));
    const r = spawnSync(process.execPath, ['-r', hook, path.join(ROOT, 'bin/candor.js'), 'lint', 'examples/', '--format', 'json'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(JSON.parse(r.stdout).summary.findings).toBeGreaterThan(0);
    const loaded = JSON.parse(r.stderr.split('MODULES ')[1]);
    // The hook itself and the bin script; the bundle is compiled from its code cache, not required.
    expect(loaded.files.filter((f: string) => f !== hook)).toEqual([path.join(ROOT, 'bin/candor.js')]);
    // Loaded only when a run hashes (cache, baseline, shard) or starts worker threads.
    expect(loaded.builtins).not.toContain('crypto');
    expect(loaded.builtins).not.toContain('worker_threads');
  });
});
