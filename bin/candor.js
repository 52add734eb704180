#!/usr/bin/env node
'use strict';
// The CLI is bundled to one file by `npm run build` (run automatically by `npm ci`).
try {
  require('../server/dist/cli.cjs');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes('cli.cjs')) {
    process.stderr.write('candor: the CLI is not built yet. Run "npm run build" (or "npm ci") first.\n');
    process.exit(2);
  }
  throw err;
}
