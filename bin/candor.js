#!/usr/bin/env node
'use strict';
// The CLI is bundled to one file by `npm run build` (run automatically by `npm ci`).
//
// It is loaded with V8's code cache: the build runs the CLI once over the bundled examples
// and saves the compiled bytecode of every function that run used (server/dist/cli.cjs.cache).
// Compiling the 1.6 MB bundle lazily, function by function, is ~10% of a CI run over a
// few thousand templates. V8 checks the cache against the source and its own version and
// flags; a cache that does not fit is rejected and the bundle compiles as usual.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const vm = require('node:vm');

const bundle = path.join(__dirname, '../server/dist/cli.cjs');
const cacheFile = `${bundle}.cache`;
let source;
try {
  source = fs.readFileSync(bundle, 'utf8');
} catch {
  process.stderr.write('candor: the CLI is not built yet. Run "npm run build" (or "npm ci") first.\n');
  process.exit(2);
}
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  // no cache (yet): compile as usual
}
const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
if (process.env.CANDOR_DEBUG_CODE_CACHE) {
  process.stderr.write(`candor: code cache ${cachedData ? (script.cachedDataRejected ? 'rejected' : 'used') : 'missing'}\n`);
}
if (process.env.CANDOR_WRITE_CODE_CACHE) {
  // Written after the run, so it holds every function the run compiled (scripts/build.mjs).
  process.on('exit', () => fs.writeFileSync(cacheFile, script.createCachedData()));
}
const bundleModule = new Module(bundle, module);
bundleModule.filename = bundle;
bundleModule.paths = Module._nodeModulePaths(path.dirname(bundle));
script.runInThisContext().call(bundleModule.exports, bundleModule.exports, Module.createRequire(bundle), bundleModule, bundle, path.dirname(bundle));
