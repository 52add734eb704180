#!/usr/bin/env node
'use strict';
// The language server, bundled to one file by `npm run build`. Start with --stdio (Neovim,
// Emacs, Helix…) or let the VS Code client start it over IPC.
require('../server/dist/server.cjs');
