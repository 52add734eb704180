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

// V8's background threads. Node starts V8 with four worker threads, which compile hot code
// with TurboFan while the main thread runs. On a machine with two cores, a run over a template
// library keeps all four busy at once (~0.4 s of CPU in a 0.45 s run), so the kernel takes
// the core away from the main thread for ~80 ms, and the optimized code that arrives late is
// worth less than that. Started with one worker thread per spare core, the same run takes
// ~20% less wall time (measured: 0.47 -> 0.38 s on 3,200 files, 2 cores). The pool size can
// only be set when Node starts, so a large run on a machine with up to four cores re-runs
// this script in a child Node with `--v8-pool-size`: ~25 ms for the extra start, which the
// run wins back from about 250 files (at 320 files: 0.19 s either way); smaller runs stay in
// this process.
// CANDOR_NO_REEXEC=1 turns this off; a pool size given to Node is never overridden.
const REEXEC_MIN_FILES = 250;
const reexecPool = process.env.CANDOR_NO_REEXEC ? 0 : wantedPoolSize();
if (reexecPool > 0) {
  reexec(reexecPool);
} else {
  run();
}

/** The pool size to re-run with, or 0 to run here. */
function wantedPoolSize() {
  const args = process.argv.slice(2);
  // `lint` only (a worker thread that loads this file has no arguments), and not with worker
  // threads asked for (they share the pool).
  if (args[0] !== 'lint' || args.some((a) => a === '--threads' || a.startsWith('--threads='))) return 0;
  const nodeOptions = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  // Someone chose a pool size, or is debugging or profiling this very process.
  if (/--v8-pool-size|--inspect|--prof|--cpu-prof|--heap-prof/.test(nodeOptions)) return 0;
  const cores = require('node:os').availableParallelism();
  if (cores > 4 || cores < 2) return 0;
  return countUpTo(args.slice(1), REEXEC_MIN_FILES) >= REEXEC_MIN_FILES ? cores - 1 : 0;
}

/**
 * Files under the folder arguments (for a glob, its folder part), counted up to `limit`: a
 * rough size of the run, at the cost of a few hundred directory entries at most. Arguments
 * that are not folders (files, option values) count for nothing. It skips the folders the CLI's
 * walk never enters (SKIPPED_FOLDERS in server/src/cli/find-files.ts); this script runs before
 * the bundle loads, so it cannot share that list, and a rough count needs nothing more.
 */
function countUpTo(args, limit) {
  let count = 0;
  const stack = [];
  for (const arg of args) {
    if (arg.startsWith('-')) continue;
    const glob = arg.search(/[*?[{]/);
    const dir = glob === -1 ? arg : path.dirname(arg.slice(0, glob) + 'x');
    try {
      if (fs.statSync(dir).isDirectory()) stack.push(dir);
    } catch {
      // not a folder (a file, an option's value, or missing: the CLI reports that)
    }
  }
  while (stack.length > 0 && count < limit) {
    const dir = stack.pop();
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== '.git') stack.push(path.join(dir, e.name));
      } else if (++count >= limit) {
        break;
      }
    }
  }
  return count;
}

function reexec(poolSize) {
  const { spawn } = require('node:child_process');
  const env = { ...process.env };
  // A CA bundle makes every Node start parse ~140 certificates (~40 ms); the CLI never opens
  // a connection.
  delete env.NODE_EXTRA_CA_CERTS;
  // The child says on a pipe (its fd 3) when its work is done and with which exit code, and this
  // process exits with that code at once. The child's own exit comes ~10 ms later: Node waits
  // for V8's compiler thread to finish the job in hand (measured: 3-15 ms, depending on what
  // the run ended in the middle of), then the kernel frees ~90 MB. By then the child has
  // written everything (report, --fix writes, cache, baseline) and holds none of the
  // terminal or pipes it was given (see reportDone in server/src/cli/bin.ts). Not on Windows
  // (no /dev/null to park stdio on; untested there), not when something collects what the
  // child writes at exit (NODE_V8_COVERAGE, the build's code cache).
  // CANDOR_WAIT_FOR_CHILD=1 waits for the child's end, for tools that measure a process and
  // what it waits for (`/usr/bin/time -f %M` counts an orphaned child's memory nowhere).
  const early = process.platform !== 'win32' && !process.env.CANDOR_WRITE_CODE_CACHE && !process.env.NODE_V8_COVERAGE && !process.env.CANDOR_WAIT_FOR_CHILD;
  if (early) env.CANDOR_DONE_FD = '3';
  const child = spawn(process.execPath, [`--v8-pool-size=${poolSize}`, ...process.execArgv, __filename, ...process.argv.slice(2)], { stdio: early ? ['inherit', 'inherit', 'inherit', 'pipe'] : 'inherit', env });
  if (process.env.CANDOR_DEBUG_REEXEC) process.stderr.write(`candor: running in a child Node with --v8-pool-size=${poolSize}\n`);
  if (early && child.stdio[3]) {
    let said = '';
    child.stdio[3].on('data', (chunk) => {
      said += chunk;
      const done = /^(\d+)\n/.exec(said);
      if (!done) return;
      if (process.env.CANDOR_DEBUG_REEXEC) process.stderr.write(`candor: the child Node finished with exit code ${done[1]}\n`);
      process.exit(Number(done[1]));
    });
    // A child that ends without saying (a crash, a signal) is handled by 'exit' below.
    child.stdio[3].on('error', () => {});
  }
  const forward = (signal) => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
  child.on('error', (err) => {
    // Could not start a child (resource limits): run here instead.
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(signal, forward);
    if (process.env.CANDOR_DEBUG_REEXEC) process.stderr.write(`candor: no child Node (${err.message}); running here\n`);
    run();
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(s, forward);
      process.kill(process.pid, signal);
      return;
    }
    process.exitCode = code ?? 1;
  });
}

function run() {
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
}
