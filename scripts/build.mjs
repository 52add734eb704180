// Builds everything a fresh clone needs: compiled rule data, the CLI, the language server
// and the VS Code extension, each bundled to one file with esbuild.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { serverBundleOptions } from './server-bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');

// First the WebAssembly probe: the engine that compile-rules.mjs bundles imports it.
execFileSync(process.execPath, [path.join(root, 'scripts/compile-wasm.mjs')], { stdio: 'inherit' });
execFileSync(process.execPath, [path.join(root, 'scripts/compile-rules.mjs')], { stdio: 'inherit' });

rmSync(path.join(root, 'server/dist'), { recursive: true, force: true });

const common = { ...serverBundleOptions, sourcemap: !production, minify: production };

const entries = [
  { in: 'server/src/cli/bin.ts', out: 'server/dist/cli.cjs' },
  { in: 'server/src/index.ts', out: 'server/dist/index.cjs' },
];
if (existsSync(path.join(root, 'server/src/lsp/bin.ts'))) entries.push({ in: 'server/src/lsp/bin.ts', out: 'server/dist/server.cjs' });

await Promise.all(
  entries.map((e) => esbuild.build({ ...common, entryPoints: [path.join(root, e.in)], outfile: path.join(root, e.out) })),
);

// Pure ASCII bundles. esbuild escapes non-ASCII in strings but keeps it in comments and some
// regex literals; a single "…" makes Node decode the whole file as UTF-8 into a two-byte
// string, and V8 then compiles every function missing from the code cache from that
// (CLI on the 10x corpus: ~15 ms of main-thread CPU, interleaved runs). \uXXXX means the
// same in a string, a regex, a template literal or a comment. (Source-map columns after an
// escape on the same line shift by a few characters; such lines are rare.)
for (const e of entries) {
  const file = path.join(root, e.out);
  const text = readFileSync(file, 'utf8');
  const ascii = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== text) writeFileSync(file, ascii);
}

// V8 code cache for the CLI (see bin/candor.js): one run over the bundled examples and the
// format fixtures compiles the functions a typical run needs, and saves their bytecode.
{
  const run = spawnSync(process.execPath, [path.join(root, 'bin/candor.js'), 'lint', '--format', 'json', '--no-gitignore', 'examples', 'test-fixtures/golden', 'test-fixtures/formats'], {
    cwd: root,
    env: { ...process.env, CANDOR_WRITE_CODE_CACHE: '1' },
    stdio: 'ignore',
  });
  if (!existsSync(path.join(root, 'server/dist/cli.cjs.cache'))) {
    console.warn(`build: no code cache written (the CLI exited with ${run.status}); the CLI still works, it only starts slower`);
  }
}

if (existsSync(path.join(root, 'client/scripts/build.mjs'))) {
  execFileSync(process.execPath, [path.join(root, 'client/scripts/build.mjs'), ...(production ? ['--production'] : [])], { stdio: 'inherit' });
}
