import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import { candor, folder, ruleOf, waitFor } from './helpers';
import type { CandorApi } from '../../src/extension';

/**
 * The language server process dies (killed here with SIGKILL, as a crash or the OOM killer
 * would): the client restarts it, diagnostics come back for the open document, and the status
 * bar says what happened. The server is found as a child process of this extension host
 * running dist/server.cjs.
 */

/** Language server processes started by this extension host. */
function serverPids(): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => Boolean(m) && Number(m![2]) === process.pid && /server\.cjs/.test(m![3]))
    .map((m) => Number(m[1]));
}

const alive = (pid: number) => serverPids().includes(pid);

describe('Candor language server restart', () => {
  let api: CandorApi;
  before(async () => {
    const ext = vscode.extensions.getExtension<CandorApi>('candor.candor-vscode');
    assert.ok(ext);
    api = await ext.activate();
    await api.ready();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('restarts the server when its process dies, and diagnostics come back', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), 'macros/refund.liquid'));
    await vscode.window.showTextDocument(doc);
    await waitFor('diagnostics', () => candor(doc.uri).some((d) => ruleOf(d) === 'defensive/per-our-policy'));
    const [pid, ...more] = await waitFor('the server process', () => serverPids().length > 0 && serverPids());
    assert.deepEqual(more, [], 'one language server process');
    const before = api.crashRestarts();

    process.kill(pid, 'SIGKILL');
    await waitFor('the server process to be gone', () => !alive(pid));
    const fresh = await waitFor('a new server process', () => serverPids().find((p) => p !== pid));
    assert.notEqual(fresh, pid);
    await waitFor('the client to count the restart', () => api.crashRestarts() === before + 1);

    // The new server serves the open document: its findings come back, and an edit is linted.
    await waitFor('diagnostics after the restart', () => candor(doc.uri).some((d) => ruleOf(d) === 'defensive/per-our-policy'));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(4, 0), 'We apologize for any inconvenience.\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor('a diagnostic for the new line from the new server', () => candor(doc.uri).some((d) => d.range.start.line === 4));

    // The status bar says so.
    const status = await waitFor('the status bar', () => (/Candor/.test(api.status().text) && !/starting|stopped/.test(api.status().text) ? api.status() : undefined));
    assert.ok(status.tooltip.includes(`stopped unexpectedly and was restarted (${before + 1}×`), status.tooltip);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
