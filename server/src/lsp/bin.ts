import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server.js';
import { isLintWorker, LintWorkerPool, runLintWorker } from './worker.js';

/**
 * `candor-language-server`: the process entry, bundled to server/dist/server.cjs.
 *   --stdio        JSON-RPC over stdin/stdout (Neovim, Emacs, Helix, any LSP client)
 *   --node-ipc     Node IPC (what the VS Code extension uses)
 *   --socket=PORT  a TCP socket
 * The same file, started as a worker thread, is the lint worker for large documents.
 */

if (isLintWorker()) {
  runLintWorker();
} else {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('Usage: candor-language-server --stdio | --node-ipc | --socket=PORT\n');
    process.exit(0);
  }
  if (argv.includes('--version') || argv.includes('-v')) {
    process.stdout.write(`${typeof CANDOR_VERSION === 'string' ? CANDOR_VERSION : '0.0.0-dev'}\n`);
    process.exit(0);
  }
  if (!argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'))) {
    process.stderr.write('candor-language-server: pass --stdio (or --node-ipc, --socket=PORT). It speaks the Language Server Protocol.\n');
    process.exit(2);
  }
  const connection = createConnection(ProposedFeatures.all);
  // Never die on bad input: log, and keep serving.
  process.on('uncaughtException', (err) => connection.console.error(`Uncaught: ${err?.stack ?? err}`));
  process.on('unhandledRejection', (err) => connection.console.error(`Unhandled rejection: ${(err as Error)?.stack ?? err}`));
  startServer(connection, LintWorkerPool.defaultEntry());
}

declare const CANDOR_VERSION: string;
