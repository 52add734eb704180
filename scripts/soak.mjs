#!/usr/bin/env node
// The long soak of the language server (`npm run soak`): the same session as the CI test
// server/test/lsp/soak.test.ts, with 10,000 edits and a random seed (printed; replay a run
// with SOAK_SEED=<seed>). Options: SOAK_EDITS, SOAK_SEED, SOAK_HEAP_LIMIT_MB.
// Needs the built server (npm run build).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(path.join(root, 'server/dist/server.cjs'))) {
  console.error('server/dist/server.cjs is missing: run "npm run build" first.');
  process.exit(2);
}
const env = {
  ...process.env,
  SOAK_EDITS: process.env.SOAK_EDITS ?? '10000',
  SOAK_SEED: process.env.SOAK_SEED ?? String(Math.floor(Math.random() * 2 ** 31)),
};
console.log(`soak: ${env.SOAK_EDITS} edits, seed ${env.SOAK_SEED}`);
const vitest = path.join(root, 'node_modules/vitest/vitest.mjs');
const r = spawnSync(process.execPath, [vitest, 'run', 'server/test/lsp/soak.test.ts', '--reporter=verbose'], { cwd: root, env, stdio: 'inherit' });
process.exit(r.status ?? 1);
