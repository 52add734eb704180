import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CI, makeWorkspace, missingTools, ROOT, SERVER, which } from './harness.js';

/**
 * Neovim (Debian's 0.7, headless) as a real LSP client of the built server over stdio: the
 * Lua script opens a Liquid macro, gets Candor's diagnostics, hovers, applies the preferred
 * quick fix and checks the text. Under CI=true a missing nvim fails the test.
 */

const nvim = which('nvim');
const skip = missingTools({ nvim: Boolean(nvim), 'server/dist/server.cjs (npm run build)': existsSync(SERVER) });

describe.skipIf(Boolean(skip) && !CI)('Neovim', () => {
  it('shows Candor diagnostics, hovers and applies a quick fix', () => {
    const ws = makeWorkspace('nvim', {
      'refund.liquid': 'Hi {{ customer.first_name }},\n\nPer our policy, refunds take 5 days.\n\n{{ shop.name }} Support\n',
    });
    const file = path.join(ws, 'refund.liquid');
    try {
      const started = performance.now();
      const r = spawnSync(nvim!, ['--headless', '--clean', '-n', '-c', `luafile ${path.join(ROOT, 'test/editors/nvim/candor.lua')}`], {
        env: { ...process.env, CANDOR_SERVER: SERVER, CANDOR_FILE: file, CANDOR_NODE: process.execPath },
        encoding: 'utf8',
        timeout: 60_000,
      });
      const ms = Math.round(performance.now() - started);
      const steps = r.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const step = (name: string) => steps.find((s) => s.step === name);
      expect(step('fail'), `${r.stdout}\n${r.stderr}`).toBeUndefined();
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
      expect(step('diagnostics')).toMatchObject({ lnum: 2, col: 0, end_lnum: 2, end_col: 14, severity: 2 });
      expect(String(step('hover')?.value)).toContain('`defensive/per-our-policy`');
      const titles = step('actions')?.titles as string[];
      // The rewrites are rule data (tuned by others): the preferred one is listed first and
      // either replaces the phrase or removes it.
      expect(titles[0]).toMatch(/^(Replace with “.+”|Remove “Per our policy”)$/);
      expect(titles).toContain('Disable defensive/per-our-policy for this line');
      const applied = step('applied') as { title: string; line: string };
      expect(applied.title).toBe(titles[0]);
      const rewrite = /^Replace with “(.+)”$/.exec(applied.title)?.[1];
      expect(applied.line).toBe(rewrite ? `${rewrite}, refunds take 5 days.` : 'Refunds take 5 days.');
      expect(step('cleared')).toBeDefined();
      expect(step('done')).toBeDefined();
      // The buffer was never written: the file on disk is unchanged.
      expect(readFileSync(file, 'utf8')).toContain('Per our policy');
      console.log(`neovim: ${ms} ms, first diagnostics after ${Math.round(Number(step('diagnostics')?.ms))} ms`);
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  });
});
