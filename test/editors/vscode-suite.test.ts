import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { format } from 'node:util';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chromiumArgs, CHROMIUM, CI, CLIENT, CODE_SERVER, missingTools, RESULTS, startCodeServer, type CodeServer } from './harness.js';

/**
 * The extension's mocha integration suite (client/test/suite, `extensionTestsPath`) — written
 * for @vscode/test-electron — run here inside a real VS Code: code-server's extension host.
 * The workbench is opened in headless Chromium with the development extension and the suite
 * in its payload; with `enable-smoke-test-driver` it runs the suite and calls
 * window.codeAutomationExit(code) when done.
 */

const suite = path.join(CLIENT, 'dist/test/suite/index.js');
const skip = missingTools({
  'code-server (.tools/)': existsSync(CODE_SERVER),
  chromium: Boolean(CHROMIUM),
  'client/dist/test (npm run build)': existsSync(suite),
});

describe.skipIf(Boolean(skip) && !CI)('VS Code (code-server) integration suite', () => {
  let cs: CodeServer | undefined;
  let workspace: string | undefined;
  afterAll(async () => {
    await cs?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('passes inside code-server\'s extension host', async () => {
    const { chromium } = await import('playwright-core');
    workspace = mkdtempSync(path.join(tmpdir(), 'candor-suite-'));
    cpSync(path.join(CLIENT, 'test/fixtures'), workspace, { recursive: true });
    const started = performance.now();
    cs = await startCodeServer({ name: 'suite' });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs() });
    const lines: string[] = [];
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      // The extension host's console (mocha's spec reporter) arrives as workbench console
      // messages with %c styling: format them back into plain lines.
      page.on('console', async (m) => {
        let args: unknown[] = await Promise.all(m.args().map((a) => a.jsonValue().catch(() => '')));
        if (typeof args[0] === 'string' && args[0].startsWith('%c')) args = args.slice(2); // "%c INFO", "color: …"
        lines.push(format(...args).trimEnd());
      });
      let exit: (code: number) => void = () => undefined;
      const exited = new Promise<number>((r) => (exit = r));
      await page.exposeFunction('codeAutomationLog', (s: unknown) => lines.push(String(s)));
      await page.exposeFunction('codeAutomationExit', (code: number) => exit(code));
      const remote = (p: string) => `vscode-remote://127.0.0.1:${cs!.port}${p}`;
      const payload = [
        ['extensionDevelopmentPath', remote(CLIENT)],
        ['extensionTestsPath', remote(suite)],
      ];
      await page.goto(`${cs.origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
      const timeout = new Promise<number>((_, reject) => setTimeout(() => reject(new Error('the suite did not finish in 150 s')), 150_000));
      let code: number;
      try {
        code = await Promise.race([exited, timeout]);
      } catch (err) {
        mkdirSync(RESULTS, { recursive: true });
        await page.screenshot({ path: path.join(RESULTS, 'vscode-suite-timeout.png') }).catch(() => undefined);
        throw err;
      }
      const log = lines.join('\n');
      mkdirSync(RESULTS, { recursive: true });
      writeFileSync(path.join(RESULTS, 'vscode-suite.log'), log);
      console.log(`code-server suite: exit ${code} in ${Math.round(performance.now() - started)} ms\n${log.split('\n').filter((l) => /✔|passing|failing|pending|^\s+\d+\) /.test(l)).join('\n')}`);
      expect(code, `${log}\n--- code-server ---\n${cs.log().slice(-4000)}`).toBe(0);
    } finally {
      await browser.close();
    }
  }, 240_000);
});
