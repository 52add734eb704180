#!/usr/bin/env node
'use strict';
// The CLI is bundled to one file by `npm run build` (run automatically by `npm ci`).
const path = require('node:path');
const bundle = path.join(__dirname, '../server/dist/cli.cjs');
if (!require('node:fs').existsSync(bundle)) {
  process.stderr.write('candor: the CLI is not built yet. Run "npm run build" (or "npm ci") first.\n');
  process.exit(2);
}
require(bundle);
