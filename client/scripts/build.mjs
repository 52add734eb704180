// Builds the VS Code extension into client/dist: the client bundle (CommonJS, `vscode`
// external), a copy of the language server bundle, the config schema and the rule docs, and
// the integration test suite. Run by the root build (scripts/build.mjs) after the server.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const clientDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(clientDir, '..');
const dist = path.join(clientDir, 'dist');
const production = process.argv.includes('--production');

// Clean first, or stale files would land in the .vsix.
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  external: ['vscode'],
};

await esbuild.build({ ...common, entryPoints: [path.join(clientDir, 'src/extension.ts')], outfile: path.join(dist, 'extension.js') });

const server = path.join(root, 'server/dist/server.cjs');
if (!existsSync(server)) throw new Error('server/dist/server.cjs is missing: run the root build (npm run build) first.');
cpSync(server, path.join(dist, 'server.cjs'));
if (!production && existsSync(server + '.map')) cpSync(server + '.map', path.join(dist, 'server.cjs.map'));
cpSync(path.join(root, 'schema/candor.schema.json'), path.join(dist, 'candor.schema.json'));
const docs = path.join(root, 'rules/docs');
if (existsSync(docs)) cpSync(docs, path.join(dist, 'rules/docs'), { recursive: true });

// The integration suite (mocha, run by @vscode/test-electron or inside code-server): one file
// per test so mocha can load them after it has set up its globals.
const suiteDir = path.join(clientDir, 'test/suite');
if (existsSync(suiteDir)) {
  const entries = readdirSync(suiteDir).filter((f) => f.endsWith('.ts')).map((f) => path.join(suiteDir, f));
  await esbuild.build({ ...common, minify: false, entryPoints: entries, outdir: path.join(dist, 'test/suite'), external: ['vscode', 'mocha'] });
}
const runner = path.join(clientDir, 'test/run-test.ts');
if (existsSync(runner)) {
  await esbuild.build({ ...common, minify: false, entryPoints: [runner], outfile: path.join(dist, 'test/run-test.js'), external: ['vscode', '@vscode/test-electron'] });
}
