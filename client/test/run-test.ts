import * as path from 'node:path';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { runTests } from '@vscode/test-electron';

/**
 * `npm run test:vscode`: the integration suite in a VS Code downloaded by @vscode/test-electron
 * (needs the internet). Offline, the same suite runs inside code-server: see
 * test/editors/vscode-suite.test.ts.
 */
async function main(): Promise<void> {
  const extensionDevelopmentPath = path.resolve(__dirname, '../..');
  const extensionTestsPath = path.resolve(__dirname, 'suite/index.js');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-vscode-'));
  const fixtures = path.resolve(__dirname, '../../test/fixtures');
  fs.cpSync(fixtures, workspace, { recursive: true });
  await runTests({ extensionDevelopmentPath, extensionTestsPath, launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'] });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
