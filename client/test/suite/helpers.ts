import * as vscode from 'vscode';

/** Shared by the integration suites (this file is bundled into each; mocha loads only *.test.js). */

export const folder = (): vscode.Uri => vscode.workspace.workspaceFolders![0].uri;

/** Polls `fn` every 100 ms until it returns something truthy. */
export async function waitFor<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeout = 30_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Candor's diagnostics on a document. */
export const candor = (uri: vscode.Uri): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'candor');

export const ruleOf = (d: vscode.Diagnostic): string => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
