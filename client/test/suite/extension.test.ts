import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { candor, folder, ruleOf, waitFor } from './helpers';

/**
 * Candor through the real `vscode` API: diagnostics, hover, every kind of code action, the
 * workspace lint command and .candor.json validation. The workspace is client/test/fixtures
 * (copied to a temp folder by the runner).
 */

const file = (rel: string) => vscode.Uri.joinPath(folder(), rel);

const rangeOf = (doc: vscode.TextDocument, phrase: string, from = 0) => {
  const at = doc.getText().indexOf(phrase, from);
  assert.ok(at >= 0, `"${phrase}" not in ${doc.uri.path}`);
  return new vscode.Range(doc.positionAt(at), doc.positionAt(at + phrase.length));
};

async function open(rel: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(file(rel));
  await vscode.window.showTextDocument(doc);
  return doc;
}

async function actionsAt(doc: vscode.TextDocument, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, range, kind)) ?? [];
}

async function revert(doc: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('workbench.action.files.revert');
}

describe('Candor in VS Code', () => {
  before(async () => {
    const ext = vscode.extensions.getExtension('candor.candor-vscode');
    assert.ok(ext, 'the Candor extension is installed');
    await ext.activate();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('underlines exactly the phrase in a Liquid macro, never the placeholders', async () => {
    const doc = await open('macros/refund.liquid');
    assert.equal(doc.languageId, 'liquid');
    const diags = await waitFor('diagnostics', () => candor(doc.uri).length > 0 && candor(doc.uri));
    const policy = diags.find((d) => ruleOf(d) === 'defensive/per-our-policy');
    assert.ok(policy, JSON.stringify(diags));
    assert.deepEqual(policy.range, rangeOf(doc, 'Per our policy'));
    assert.equal(policy.severity, vscode.DiagnosticSeverity.Warning);
    const target = typeof policy.code === 'object' ? policy.code.target : undefined;
    if (target) assert.match(target.toString(), /^file:\/\/.*rules\/docs\/defensive\/per-our-policy\.md$/);
    for (const d of diags) assert.ok(!doc.getText(d.range).includes('{{'), `no finding inside a placeholder: ${doc.getText(d.range)}`);
  });

  it('explains the finding on hover', async () => {
    const doc = await open('macros/refund.liquid');
    await waitFor('diagnostics', () => candor(doc.uri).length > 0);
    const pos = rangeOf(doc, 'Per our policy').start.translate(0, 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /defensive\/per-our-policy/);
    assert.match(text, /Try instead/);
    assert.match(text, /rules\/docs\/defensive\/per-our-policy\.md|Read more/);
  });

  it('applies the preferred rewrite as a quick fix', async () => {
    const doc = await open('macros/refund.liquid');
    await waitFor('diagnostics', () => candor(doc.uri).length > 0);
    const range = rangeOf(doc, 'Per our policy');
    const actions = await actionsAt(doc, range);
    const titles = actions.map((a) => a.title);
    const preferred = actions.find((a) => a.isPreferred);
    assert.ok(preferred, titles.join(' | '));
    // The rewrites are rule data (tuned by others): check the shape, then the edit's effect.
    assert.match(preferred.title, /^(Replace with “.+”|Remove “Per our policy”)$/);
    assert.equal(titles.indexOf(preferred.title), 0, 'the preferred fix comes first');
    assert.ok(titles.includes('Disable defensive/per-our-policy for this line'), titles.join(' | '));
    assert.ok(titles.includes('Disable defensive/per-our-policy for this file'), titles.join(' | '));
    assert.ok(titles.some((t) => t.startsWith('Allow “per our policy” in .candor.json')), titles.join(' | '));
    assert.ok(titles.includes('Turn off defensive/per-our-policy in .candor.json'), titles.join(' | '));
    const [edit] = preferred.edit!.get(doc.uri);
    const expected = doc.getText(new vscode.Range(2, 0, edit.range.start.line, edit.range.start.character)) + edit.newText + doc.lineAt(2).text.slice(edit.range.end.character);
    assert.ok(await vscode.workspace.applyEdit(preferred.edit!));
    assert.equal(doc.lineAt(2).text, expected);
    assert.ok(!doc.lineAt(2).text.includes('Per our policy'));
    await waitFor('the squiggle to go', () => !candor(doc.uri).some((d) => ruleOf(d) === 'defensive/per-our-policy'));
    await revert(doc);
  });

  it('disables a rule for one line with a Liquid comment', async () => {
    const doc = await open('macros/refund.liquid');
    await waitFor('diagnostics', () => candor(doc.uri).length > 0);
    const actions = await actionsAt(doc, rangeOf(doc, 'Per our policy'));
    const disable = actions.find((a) => a.title === 'Disable defensive/per-our-policy for this line');
    assert.ok(disable?.edit);
    assert.ok(await vscode.workspace.applyEdit(disable.edit));
    assert.equal(
      doc.lineAt(2).text,
      'Per our policy, refunds are only possible within 30 days of delivery. {% comment %} candor-disable-line defensive/per-our-policy {% endcomment %}',
    );
    await waitFor('the squiggle to go', () => !candor(doc.uri).some((d) => ruleOf(d) === 'defensive/per-our-policy'));
    await revert(doc);
  });

  it('fixes every finding of a rule at once, and source.fixAll.candor', async () => {
    const doc = await open('macros/twice.liquid');
    await waitFor('two diagnostics', () => candor(doc.uri).filter((d) => ruleOf(d) === 'defensive/per-our-policy').length === 2);
    const actions = await actionsAt(doc, rangeOf(doc, 'Per our policy'));
    const all = actions.find((a) => a.title === 'Fix all defensive/per-our-policy problems in this file');
    assert.ok(all?.edit, actions.map((a) => a.title).join(' | '));
    assert.equal(all.edit.get(doc.uri).length, 2);
    assert.ok(await vscode.workspace.applyEdit(all.edit));
    assert.ok(!/per our policy/i.test(doc.lineAt(2).text), doc.lineAt(2).text);
    assert.match(doc.lineAt(2).text, /this cannot be changed\. .*it is final\.$/i);
    await revert(doc);
    const fixAll = await actionsAt(doc, new vscode.Range(0, 0, doc.lineCount, 0), 'source.fixAll.candor');
    // per-our-policy is not auto-fixable: source.fixAll only applies rules marked fixable.
    for (const a of fixAll) assert.equal(a.kind?.value, 'source.fixAll.candor');
  });

  it('lints a Zendesk JSON export with exact ranges and offers config actions only', async () => {
    const doc = await open('macros/zendesk-macros.json');
    const diags = await waitFor('diagnostics', () => candor(doc.uri).length > 0 && candor(doc.uri));
    const policy = diags.find((d) => ruleOf(d) === 'defensive/per-our-policy');
    assert.ok(policy);
    assert.deepEqual(policy.range, rangeOf(doc, 'Per our policy'));
    const actions = await actionsAt(doc, policy.range);
    const titles = actions.map((a) => a.title);
    assert.ok(!titles.some((t) => t.startsWith('Disable')), `JSON has no comments: ${titles.join(' | ')}`);
    const allow = actions.find((a) => a.title.startsWith('Allow “per our policy”'));
    assert.ok(allow?.edit, titles.join(' | '));
    assert.ok(await vscode.workspace.applyEdit(allow.edit));
    const config = file('.candor.json');
    const configDoc = await vscode.workspace.openTextDocument(config);
    assert.deepEqual(JSON.parse(configDoc.getText()), { allow: ['per our policy'] });
    await configDoc.save();
    await vscode.window.showTextDocument(doc);
    await waitFor('the finding to be allowed', () => !candor(doc.uri).some((d) => ruleOf(d) === 'defensive/per-our-policy'));
    await vscode.workspace.fs.delete(config);
    await waitFor('the finding to come back', () => candor(doc.uri).some((d) => ruleOf(d) === 'defensive/per-our-policy'));
  });

  it('validates .candor.json with the shipped schema and reports it as a Candor diagnostic', async () => {
    const config = file('bad/.candor.json');
    await vscode.workspace.fs.writeFile(config, Buffer.from('{\n  "rules": { "cliche": "loud" }\n}\n'));
    const doc = await vscode.workspace.openTextDocument(config);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'jsonc');
    const schemaDiag = await waitFor('schema validation', () => vscode.languages.getDiagnostics(config).find((d) => d.source !== 'candor'));
    assert.deepEqual(schemaDiag.range, rangeOf(doc, '"loud"'));
    const own = await waitFor('candor config diagnostic', () => candor(config)[0]);
    assert.deepEqual(own.range, rangeOf(doc, '"loud"'));
    assert.match(own.message, /defaults/);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(candor(config).length, 1, 'reported once (pulled, not also pushed)');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder(), 'bad'), { recursive: true });
  });

  it('lints the whole workspace on command, files not open included', async () => {
    const closed = file('closed/shipping.md');
    assert.equal(candor(closed).length, 0);
    const result = await vscode.commands.executeCommand<{ files: number; findings: number }>('candor.lintWorkspace');
    assert.ok(result && result.files >= 3, JSON.stringify(result));
    const diags = await waitFor('diagnostics of a closed file', () => candor(closed).length > 0 && candor(closed));
    assert.equal(ruleOf(diags[0]), 'defensive/per-our-policy');
    assert.deepEqual(diags[0].range, new vscode.Range(2, 0, 2, 17));
  });

  it('opens a rule\'s documentation and restarts the server on command', async () => {
    await vscode.commands.executeCommand('candor.openRuleDocs', 'defensive/per-our-policy');
    await waitFor('the rule doc preview', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label.includes('per-our-policy')),
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('candor.restartServer');
    const doc = await open('macros/refund.liquid');
    await waitFor('diagnostics after a restart', () => candor(doc.uri).some((d) => ruleOf(d) === 'defensive/per-our-policy'));
  });
});
