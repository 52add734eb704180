import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumArgs, CHROMIUM, CI, CLIENT, CODE_SERVER, ensureVsix, missingTools, RESULTS, startCodeServer, type CodeServer } from './harness.js';

/**
 * What a writer sees: the packaged .vsix installed into code-server (a real VS Code), driven in
 * headless Chromium like a person — open a Liquid macro, see the squiggle and the Problems
 * entry, hover for the why, apply a quick fix with Ctrl+. and check the text. Screenshots of
 * each step go to test-results/ui-*.png.
 */

const skip = missingTools({
  'code-server (.tools/)': existsSync(CODE_SERVER),
  chromium: Boolean(CHROMIUM),
  'client/dist (npm run build)': existsSync(path.join(CLIENT, 'dist/extension.js')),
});

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(RESULTS, `ui-${name}.png`) });

async function retry<T>(what: string, attempt: () => Promise<T>, tries = 4): Promise<T> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      return await attempt();
    } catch (err) {
      last = err;
    }
  }
  throw new Error(`${what}: ${(last as Error)?.message ?? last}`);
}

/** The editor's visible text, with Monaco's non-breaking spaces made plain. */
async function editorText(page: Page): Promise<string> {
  const lines = await page.locator('.monaco-editor .view-lines .view-line').allInnerTexts();
  return lines.join('\n').replace(/\u00a0/g, ' ');
}

describe.skipIf(Boolean(skip) && !CI)('VS Code UI (code-server + Chromium)', () => {
  let cs: CodeServer | undefined;
  let workspace: string | undefined;
  afterAll(async () => {
    await cs?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('squiggle, Problems entry, hover and quick fix on a Liquid macro', async () => {
    const { chromium } = await import('playwright-core');
    mkdirSync(RESULTS, { recursive: true });
    const started = performance.now();
    const vsix = ensureVsix();
    workspace = mkdtempSync(path.join(tmpdir(), 'candor-ui-'));
    cpSync(path.join(CLIENT, 'test/fixtures'), workspace, { recursive: true });
    cs = await startCodeServer({ name: 'ui', vsix });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs() });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
      await page.goto(`${cs.origin}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60_000 }).catch(() => undefined);

      // Open the macro with Quick Open, like a person.
      await retry('quick open', async () => {
        await page.keyboard.press('Control+P');
        await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 5000 });
      });
      await page.keyboard.type('refund.liquid');
      await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 15_000 });
      await page.keyboard.press('Enter');
      await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 20_000 });

      // The squiggle: exactly one, under "Per our policy".
      const squiggle = page.locator('.monaco-editor .squiggly-warning').first();
      await squiggle.waitFor({ state: 'attached', timeout: 60_000 });
      await page.waitForTimeout(300);
      await shot(page, '1-squiggle');
      expect(await page.locator('.monaco-editor .squiggly-warning').count()).toBe(1);

      // The status bar counts it.
      const status = page.locator('.statusbar-item', { hasText: 'Candor' }).first();
      await status.waitFor({ timeout: 15_000 });
      expect(await status.innerText()).toContain('Candor: 1');

      // The Problems panel lists it with the rule id.
      await retry('problems panel', async () => {
        await page.keyboard.press('Control+Shift+M');
        await page.locator('.markers-panel .monaco-list-row').first().waitFor({ timeout: 5000 });
      });
      const problems = page.locator('.markers-panel');
      await expect.poll(async () => problems.innerText(), { timeout: 15_000 }).toContain('defensive/per-our-policy');
      expect(await problems.innerText()).toMatch(/Citing policy|policy/i);
      await shot(page, '2-problems');

      // Hover: the mouse over the squiggle's box (locator.hover() is blocked by the text layer).
      const box = await squiggle.boundingBox();
      expect(box).toBeTruthy();
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'Try instead' });
      await retry('hover', async () => {
        await page.mouse.move(box!.x + 2, box!.y + box!.height + 30);
        await page.mouse.move(box!.x + box!.width / 2, box!.y + box!.height / 2, { steps: 4 });
        await hover.first().waitFor({ state: 'visible', timeout: 5000 });
      });
      const hoverText = await hover.first().innerText();
      expect(hoverText).toContain('defensive/per-our-policy');
      expect(hoverText).toContain('Try instead');
      expect(hoverText).toContain('Read more about defensive/per-our-policy');
      await page.waitForTimeout(400); // let the hover finish fading in before the screenshot
      await shot(page, '3-hover');

      // Quick fix: put the cursor in the phrase, Ctrl+., pick the preferred rewrite.
      await page.mouse.move(10, 10);
      await page.mouse.click(box!.x + box!.width / 2, box!.y + box!.height / 2);
      const menu = page.locator('.action-widget:not(.action-list-submenu-panel)').first();
      const firstFix = menu.locator('.monaco-list-row.action').first();
      await retry('quick fix menu', async () => {
        await page.keyboard.press('Control+.');
        await firstFix.waitFor({ state: 'visible', timeout: 5000 });
      });
      // The rewrites are rule data: the preferred one (listed first) replaces or removes the phrase.
      const fixTitle = (await firstFix.innerText()).trim();
      expect(fixTitle).toMatch(/^(Replace with “.+”|Remove “Per our policy”)$/);
      const menuText = await menu.innerText();
      expect(menuText).toContain('Disable defensive/per-our-policy for this line');
      expect(menuText).toContain('Allow “per our policy” in .candor.json');
      await shot(page, '4-quick-fix-menu');
      await firstFix.click();
      const rewrite = /^Replace with “(.+)”$/.exec(fixTitle)?.[1];
      const expectedLine = rewrite ? `${rewrite}, refunds are only possible within 30 days of delivery.` : 'Refunds are only possible within 30 days of delivery.';
      await expect.poll(() => editorText(page), { timeout: 10_000 }).toContain(expectedLine);
      await expect.poll(() => page.locator('.monaco-editor .squiggly-warning').count(), { timeout: 15_000 }).toBe(0);
      // The Problems panel and the status bar follow.
      await expect.poll(async () => (await status.innerText()).trim(), { timeout: 15_000 }).toBe('Candor');
      await expect.poll(() => page.locator('.markers-panel .monaco-list-row').count(), { timeout: 15_000 }).toBe(0);
      await shot(page, '5-fixed');
      // Not saved: the file on disk still has the original text.
      expect(readFileSync(path.join(workspace, 'macros/refund.liquid'), 'utf8')).toContain('Per our policy');
      console.log(`code-server UI: ${Math.round(performance.now() - started)} ms; screenshots in test-results/ui-*.png`);
    } finally {
      await browser.close();
    }
  }, 240_000);
});
