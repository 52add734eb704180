import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { applyEdits, editsFor, ROOT, TestClient, tempWorkspace, textAt, uri, type CodeAction, type Diagnostic, type Range } from './lsp-client.js';

/**
 * Protocol tests: the built server (server/dist/server.cjs --stdio) driven over JSON-RPC as an
 * editor drives it. Ranges and edits are checked exactly, on the formats support teams use.
 */

/** A built-in rule (its rewrites are data others tune, so tests derive them from the rule). */
const POLICY = 'defensive/per-our-policy';
/**
 * A team rule from the workspace's .candor.json — the same data form as built-in rules — so
 * the exact rewrites and edits below do not change when the built-in rule data is tuned.
 */
const RULE = 'team/per-policy';
const TEAM_CONFIG = JSON.stringify(
  {
    rules: { [POLICY]: 'off' },
    phrases: [
      {
        id: RULE,
        category: 'defensive',
        principle: 'ownership',
        patterns: ['(as)? per our policy'],
        message: 'Say what the rule is, not that there is one.',
        rationale: 'A policy named as the reason ends the conversation.',
        suggestions: ['under our refund terms', 'the way this works is that'],
        fixable: true,
      },
    ],
  },
  null,
  2,
) + '\n';

/** The LSP range of the n-th occurrence of `phrase` in `text`. */
function rangeOf(text: string, phrase: string, nth = 0): Range {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(phrase, at + 1);
  if (at < 0) throw new Error(`"${phrase}" not found`);
  const pos = (o: number) => {
    const before = text.slice(0, o);
    const line = before.split('\n').length - 1;
    return { line, character: o - (before.lastIndexOf('\n') + 1) };
  };
  return { start: pos(at), end: pos(at + phrase.length) };
}

const byRule = (ds: Diagnostic[], rule: string) => ds.filter((d) => d.code === rule);
const titled = (actions: CodeAction[], title: string) => {
  const a = actions.find((x) => x.title === title);
  if (!a) throw new Error(`no action "${title}" in: ${actions.map((x) => x.title).join(' | ')}`);
  return a;
};

describe('language server over stdio (push diagnostics)', () => {
  let ws: ReturnType<typeof tempWorkspace>;
  let client: TestClient;

  beforeAll(async () => {
    ws = tempWorkspace({
      '.candor.json': TEAM_CONFIG,
      'closed/shipping.md': '# Shipping\n\nAs per our policy, we ship on Mondays.\n',
      'node_modules/x/a.md': 'Per our policy.\n',
      'builtin/.candor.json': '{ "root": true }\n',
    });
    client = new TestClient({ rootDir: ws.dir, settings: { debounce: 0 } });
    const init = await client.initialize();
    expect(init.capabilities).toMatchObject({
      textDocumentSync: { openClose: true, change: 2 },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix', 'source.fixAll.candor'] },
      executeCommandProvider: { commands: ['candor.server.lintWorkspace'] },
    });
    expect(init.capabilities.diagnosticProvider).toBeUndefined();
  });

  afterAll(async () => {
    await client?.stop();
    ws?.cleanup();
  });

  it('built-in rule in Liquid: exact range, source, code, doc link; nothing inside {{ }} or {% %}', async () => {
    const text = 'Hi {{ customer.first_name }},\n\n{% if late %}Per our policy, refunds take 5 days.{% endif %}\n';
    const u = client.open(path.join(ws.dir, 'builtin/refund.liquid'), text, 'liquid');
    const ds = await client.diagnostics(u, { pred: (d) => byRule(d, POLICY).length > 0 });
    const [d] = byRule(ds, POLICY);
    expect(d).toMatchObject({ source: 'candor', range: rangeOf(text, 'Per our policy') });
    expect(d.message.length).toBeGreaterThan(10);
    const docs = path.join(ROOT, 'rules/docs/defensive/per-our-policy.md');
    if (existsSync(docs)) expect(d.codeDescription?.href).toBe(uri(docs));
    for (const x of ds) expect(textAt(text, x.range)).not.toMatch(/[{}%]/);
    // The preferred quick fix is the rule's first rewrite, as carried in the diagnostic's data.
    const first = d.data!.suggestions[0];
    const [preferred] = (await client.codeActions(u, d.range, [d])).filter((a) => a.isPreferred);
    expect(editsFor(preferred, u)).toEqual([{ range: first.range, newText: first.newText }]);
  });

  it('team rule in Liquid: exact range and rewrites', async () => {
    const text = 'Hi {{ customer.first_name }},\n\n{% if late %}Per our policy, refunds take 5 days.{% endif %}\n';
    const u = client.open(path.join(ws.dir, 'refund.liquid'), text, 'liquid');
    const [d] = byRule(await client.diagnostics(u, { pred: (x) => byRule(x, RULE).length > 0 }), RULE);
    expect(d).toMatchObject({ source: 'candor', severity: 2, code: RULE, message: 'Say what the rule is, not that there is one.', range: rangeOf(text, 'Per our policy') });
    expect(d.codeDescription).toBeUndefined();
    expect(d.data?.suggestions).toEqual([
      { title: 'Under our refund terms', range: rangeOf(text, 'Per our policy'), newText: 'Under our refund terms' },
      { title: 'The way this works is that', range: rangeOf(text, 'Per our policy'), newText: 'The way this works is that' },
    ]);
  });

  it('hover: message, rationale, rewrites and the rule doc link', async () => {
    const text = 'Per our policy, no.\n';
    const u = client.open(path.join(ws.dir, 'hover.txt'), text);
    await client.diagnostics(u, { pred: (d) => d.length > 0 });
    const h = await client.request<{ contents: { kind: string; value: string }; range: Range }>('textDocument/hover', {
      textDocument: { uri: u },
      position: { line: 0, character: 5 },
    });
    expect(h.contents.kind).toBe('markdown');
    expect(h.contents.value).toContain(`\`${RULE}\``);
    expect(h.contents.value).toContain('**Try instead:** “Under our refund terms”');
    expect(h.range).toEqual(rangeOf(text, 'Per our policy'));
    const none = await client.request('textDocument/hover', { textDocument: { uri: u }, position: { line: 0, character: 17 } });
    expect(none).toBeNull();
  });

  it('Liquid code actions: rewrites (first preferred), disable line/file in Liquid comments, config actions, fix all', async () => {
    const text = 'Hi {{ name }},\n\nPer our policy, no. As per our policy, never.\n';
    const file = path.join(ws.dir, 'actions.liquid');
    const u = client.open(file, text, 'liquid');
    const ds = await client.diagnostics(u, { pred: (d) => byRule(d, RULE).length === 2 });
    const first = byRule(ds, RULE)[0];
    const actions = await client.codeActions(u, first.range, [first]);
    const quickfixes = actions.filter((a) => a.title.startsWith('Replace with'));
    expect(quickfixes[0]).toMatchObject({ title: 'Replace with “Under our refund terms”', kind: 'quickfix', isPreferred: true });
    expect(quickfixes.slice(1).every((a) => !a.isPreferred)).toBe(true);
    expect(applyEdits(text, editsFor(quickfixes[0], u))).toBe('Hi {{ name }},\n\nUnder our refund terms, no. As per our policy, never.\n');
    expect(quickfixes[0].diagnostics?.[0].range).toEqual(first.range);

    const line = titled(actions, `Disable ${RULE} for this line`);
    expect(applyEdits(text, editsFor(line, u))).toBe(
      `Hi {{ name }},\n\nPer our policy, no. As per our policy, never. {% comment %} candor-disable-line ${RULE} {% endcomment %}\n`,
    );
    const fileAction = titled(actions, `Disable ${RULE} for this file`);
    expect(applyEdits(text, editsFor(fileAction, u))).toBe(`{%- comment -%} candor-disable-file ${RULE} {%- endcomment -%}\n${text}`);

    const all = titled(actions, `Fix all ${RULE} problems in this file`);
    expect(applyEdits(text, editsFor(all, u))).toBe('Hi {{ name }},\n\nUnder our refund terms, no. Under our refund terms, never.\n');

    // The nearest .candor.json is edited in place (jsonc-parser's modify keeps its formatting).
    const configUri = uri(path.join(ws.dir, '.candor.json'));
    const allow = titled(actions, 'Allow “per our policy” in .candor.json');
    const allowed = applyEdits(TEAM_CONFIG, editsFor(allow, configUri));
    expect(JSON.parse(allowed)).toEqual({ ...JSON.parse(TEAM_CONFIG), allow: ['per our policy'] });
    expect(allowed.startsWith('{\n  "rules": {')).toBe(true);
    const off = titled(actions, `Turn off ${RULE} in .candor.json`);
    expect(JSON.parse(applyEdits(TEAM_CONFIG, editsFor(off, configUri))).rules).toEqual({ [POLICY]: 'off', [RULE]: 'off' });

    // The disable really disables: apply it as an incremental change and the finding goes.
    const edits = editsFor(line, u);
    const v = client.change(u, edits.map((e) => ({ range: e.range, text: e.newText })));
    const after = await client.diagnostics(u, { version: v });
    expect(byRule(after, RULE)).toEqual([]);
  });

  it('HTML: disable-line as an HTML comment; a multi-line tag is wrapped instead', async () => {
    const text = [
      '<!DOCTYPE html>',
      '<p>Hi {{ticket.requester.first_name}}, per our policy we can&rsquo;t.</p>',
      '<img alt="Per our policy, no refunds"',
      '     src="https://example.com/x.png">',
      '',
    ].join('\n');
    const u = client.open(path.join(ws.dir, 'reply.html'), text, 'html');
    const ds = byRule(await client.diagnostics(u, { pred: (d) => byRule(d, RULE).length === 2 }), RULE);
    expect(ds.map((d) => d.range)).toEqual([rangeOf(text, 'per our policy'), rangeOf(text, 'Per our policy')]);
    const a1 = titled(await client.codeActions(u, ds[0].range, [ds[0]]), `Disable ${RULE} for this line`);
    expect(applyEdits(text, editsFor(a1, u)).split('\n')[1]).toBe(
      `<p>Hi {{ticket.requester.first_name}}, per our policy we can&rsquo;t.</p> <!-- candor-disable-line ${RULE} -->`,
    );
    const a2 = titled(await client.codeActions(u, ds[1].range, [ds[1]]), `Disable ${RULE} for this line`);
    const wrapped = applyEdits(text, editsFor(a2, u));
    expect(wrapped.split('\n').slice(2, 4)).toEqual([
      `<!-- candor-disable ${RULE} --><img alt="Per our policy, no refunds"`,
      `     src="https://example.com/x.png"><!-- candor-enable ${RULE} -->`,
    ]);
    const f = titled(await client.codeActions(u, ds[0].range, [ds[0]]), `Disable ${RULE} for this file`);
    expect(applyEdits(text, editsFor(f, u)).split('\n').slice(0, 2)).toEqual(['<!DOCTYPE html>', `<!-- candor-disable-file ${RULE} -->`]);
    const v = client.change(u, [{ text: wrapped }]);
    expect(byRule(await client.diagnostics(u, { version: v }), RULE).map((d) => d.range)).toEqual([rangeOf(wrapped, 'per our policy')]);
  });

  it('Markdown: disable-line at the end of the line, disable-file after the front matter', async () => {
    const text = '---\ntitle: Delay\n---\n# Delay\n\nSorry. Per our policy,\nwe ship on Mondays.\n';
    const u = client.open(path.join(ws.dir, 'delay.md'), text, 'markdown');
    const [d] = byRule(await client.diagnostics(u, { pred: (x) => byRule(x, RULE).length === 1 }), RULE);
    expect(d.range).toEqual(rangeOf(text, 'Per our policy'));
    const actions = await client.codeActions(u, d.range, [d]);
    expect(applyEdits(text, editsFor(titled(actions, `Disable ${RULE} for this line`), u))).toBe(
      `---\ntitle: Delay\n---\n# Delay\n\nSorry. Per our policy, <!-- candor-disable-line ${RULE} -->\nwe ship on Mondays.\n`,
    );
    expect(applyEdits(text, editsFor(titled(actions, `Disable ${RULE} for this file`), u))).toBe(
      `---\ntitle: Delay\n---\n<!-- candor-disable-file ${RULE} -->\n# Delay\n\nSorry. Per our policy,\nwe ship on Mondays.\n`,
    );
  });

  it('YAML: a block scalar is wrapped in # disable/enable comments and stays the same text', async () => {
    const text = [
      '# Canned responses',
      '- name: refund',
      '  content: |',
      '    Hi %{first_name},',
      '    per our policy refunds take 5 days.',
      '- name: hours',
      '  content: Per our policy we open at 9.',
      '',
    ].join('\n');
    const u = client.open(path.join(ws.dir, 'canned.yml'), text, 'yaml');
    const ds = byRule(await client.diagnostics(u, { pred: (x) => byRule(x, RULE).length === 2 }), RULE);
    expect(ds.map((d) => d.range)).toEqual([rangeOf(text, 'per our policy'), rangeOf(text, 'Per our policy')]);
    const block = applyEdits(text, editsFor(titled(await client.codeActions(u, ds[0].range, [ds[0]]), `Disable ${RULE} for this line`), u));
    expect(block.split('\n').slice(1, 7)).toEqual([
      '- name: refund',
      `  # candor-disable ${RULE}`,
      '  content: |',
      '    Hi %{first_name},',
      '    per our policy refunds take 5 days.',
      `  # candor-enable ${RULE}`,
    ]);
    expect(parseYaml(block)).toEqual(parseYaml(text));
    const single = applyEdits(text, editsFor(titled(await client.codeActions(u, ds[1].range, [ds[1]]), `Disable ${RULE} for this line`), u));
    expect(single.split('\n')[6]).toBe(`  content: Per our policy we open at 9. # candor-disable-line ${RULE}`);
    expect(parseYaml(single)).toEqual(parseYaml(text));
    const v = client.change(u, [{ text: block }]);
    expect(byRule(await client.diagnostics(u, { version: v }), RULE).map((d) => d.range)).toEqual([rangeOf(block, 'Per our policy')]);
  });

  it('Zendesk JSON export: exact ranges through escapes; no comment directives; fixes stay valid JSON', async () => {
    const value = 'Dear {{ticket.requester.first_name}},\n\n\u201cHi\u201d \u2014 it\u2019s late. Per our policy, refunds take 5 days.';
    const text = JSON.stringify({ macros: [{ id: 1, title: 'Refund', actions: [{ field: 'comment_value', value }] }] }, null, 2).replace(/[\u2014\u2019\u201c\u201d]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    expect(text).toContain('\\n\\n\\u201cHi\\u201d');
    const u = client.open(path.join(ws.dir, 'zendesk.json'), text, 'json');
    const [d] = byRule(await client.diagnostics(u, { pred: (x) => byRule(x, RULE).length === 1 }), RULE);
    expect(d.range).toEqual(rangeOf(text, 'Per our policy'));
    const actions = await client.codeActions(u, d.range, [d]);
    expect(actions.filter((a) => a.title.startsWith('Disable'))).toEqual([]);
    const fixed = applyEdits(text, editsFor(actions[0], u));
    expect(JSON.parse(fixed).macros[0].actions[0].value).toBe(value.replace('Per our policy', 'Under our refund terms'));
    titled(actions, 'Allow “per our policy” in .candor.json');
    titled(actions, `Turn off ${RULE} in .candor.json`);
  });

  it('keeps positions right after an emoji and CRLF line ends (UTF-16)', async () => {
    const text = 'Hi 👋🏽 there,\r\n\r\n🙂 Per our policy, no.\r\n';
    const u = client.open(path.join(ws.dir, 'emoji.txt'), text);
    const [d] = byRule(await client.diagnostics(u, { pred: (x) => byRule(x, RULE).length === 1 }), RULE);
    expect(d.range).toEqual({ start: { line: 2, character: 3 }, end: { line: 2, character: 17 } });
    const line = titled(await client.codeActions(u, d.range, [d]), `Disable ${RULE} for this line`);
    expect(applyEdits(text, editsFor(line, u))).toBe(`Hi 👋🏽 there,\r\n\r\ncandor-disable-next-line ${RULE}\r\n🙂 Per our policy, no.\r\n`);
  });

  it('incremental edits: diagnostics follow the text', async () => {
    const text = 'Hello.\n';
    const u = client.open(path.join(ws.dir, 'inc.txt'), text);
    expect(await client.diagnostics(u, { version: 1 })).toEqual([]);
    const v2 = client.change(u, [{ range: { start: { line: 0, character: 6 }, end: { line: 0, character: 6 } }, text: ' Per our policy, no.' }]);
    const ds = await client.diagnostics(u, { version: v2 });
    expect(byRule(ds, RULE).map((d) => d.range)).toEqual([{ start: { line: 0, character: 7 }, end: { line: 0, character: 21 } }]);
    const v3 = client.change(u, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n\n' }]);
    expect(byRule(await client.diagnostics(u, { version: v3 }), RULE)[0].range.start).toEqual({ line: 2, character: 7 });
  });

  it('source.fixAll.candor applies every auto-fixable finding', async () => {
    const text = 'Per our policy, no. As per our policy, never.\n';
    const u = client.open(path.join(ws.dir, 'fixall.txt'), text);
    await client.diagnostics(u, { pred: (x) => byRule(x, RULE).length === 2 });
    const actions = await client.codeActions(u, { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, [], ['source.fixAll']);
    expect(actions.map((a) => [a.title, a.kind])).toEqual([['Candor: fix all auto-fixable problems', 'source.fixAll.candor']]);
    expect(applyEdits(text, editsFor(actions[0], u))).toBe('Under our refund terms, no. Under our refund terms, never.\n');
    // Asked for quick fixes only: no source action.
    const quick = await client.codeActions(u, { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }, [], ['quickfix']);
    expect(quick.every((a) => a.kind === 'quickfix')).toBe(true);
  });

  it('lints the workspace with work-done progress, respecting ignores', async () => {
    const result = await client.request<{ files: number; findings: number; cancelled: boolean }>('workspace/executeCommand', { command: 'candor.server.lintWorkspace', arguments: [] });
    expect(result.cancelled).toBe(false);
    expect(result.files).toBeGreaterThanOrEqual(1);
    const shipping = uri(path.join(ws.dir, 'closed/shipping.md'));
    const ds = await client.diagnostics(shipping, { pred: (x) => x.length > 0 });
    expect(byRule(ds, RULE)[0].range).toEqual({ start: { line: 2, character: 0 }, end: { line: 2, character: 17 } });
    expect(client.published.has(uri(path.join(ws.dir, 'node_modules/x/a.md')))).toBe(false);
    const kinds = client.progress.map((p) => (p as { value: { kind: string } }).value.kind);
    expect(kinds[0]).toBe('begin');
    expect(kinds[kinds.length - 1]).toBe('end');
  });

  it('.candor.json: an invalid config gets a diagnostic and the server keeps linting on defaults; a fix applies at once', async () => {
    const dir = path.join(ws.dir, 'team');
    const configPath = path.join(dir, '.candor.json');
    const bad = '{\n  // team settings\n  "rules": { "defensive": "loud" }\n}\n';
    const cu = client.open(configPath, bad, 'jsonc');
    const cds = await client.diagnostics(cu, { pred: (x) => x.length > 0 });
    expect(cds[0]).toMatchObject({ source: 'candor', severity: 1, code: 'config', range: rangeOf(bad, '"loud"') });
    expect(cds[0].message).toMatch(/defaults/);
    const text = 'Per our policy, no.\n';
    const u = client.open(path.join(dir, 'macro.txt'), text);
    expect(byRule(await client.diagnostics(u, { pred: (x) => x.length > 0 }), RULE)).toHaveLength(1);
    // Fix the config in the editor (unsaved): the rule's severity changes at once.
    client.change(cu, [{ text: '{\n  // team settings\n  "rules": { "defensive": "error" }\n}\n' }]);
    const after = await client.diagnostics(u, { pred: (x) => byRule(x, RULE)[0]?.severity === 1 });
    expect(byRule(after, RULE)).toHaveLength(1);
    expect(await client.diagnostics(cu, { pred: (x) => x.length === 0 })).toEqual([]);
    client.close(cu);
  });

  it('a .candor.json written on disk applies after didChangeWatchedFiles', async () => {
    const dir = path.join(ws.dir, 'disk');
    const text = 'Per our policy, no.\n';
    const u = client.open(path.join(dir, 'macro.txt'), text);
    expect(byRule(await client.diagnostics(u, { pred: (x) => x.length > 0 }), RULE)).toHaveLength(1);
    const configPath = path.join(dir, '.candor.json');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(configPath, '{ "allow": ["per our policy"] }\n');
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(configPath), type: 1 }] });
    expect(byRule(await client.diagnostics(u, { pred: (x) => byRule(x, RULE).length === 0 }), RULE)).toEqual([]);
    expect(readFileSync(configPath, 'utf8')).toContain('allow');
  });

  it('client settings: candor.rules and candor.enable apply on didChangeConfiguration', async () => {
    const text = 'Per our policy, no.\n';
    const u = client.open(path.join(ws.dir, 'settings.txt'), text);
    expect(byRule(await client.diagnostics(u, { pred: (x) => x.length > 0 }), RULE)[0].severity).toBe(2);
    client.settings = { debounce: 0, rules: { [RULE]: 'info' } };
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { candor: client.settings } });
    await client.diagnostics(u, { pred: (x) => byRule(x, RULE)[0]?.severity === 3 });
    client.settings = { debounce: 0, enable: false };
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { candor: client.settings } });
    await client.diagnostics(u, { pred: (x) => x.length === 0 });
    client.settings = { debounce: 0 };
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { candor: client.settings } });
    await client.diagnostics(u, { pred: (x) => x.length === 1 });
  });

  it('a file over maxFileSize gets one information diagnostic saying why', async () => {
    client.settings = { debounce: 0, maxFileSize: 1024 };
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { candor: client.settings } });
    const text = 'Per our policy, no.\n'.repeat(100);
    const u = client.open(path.join(ws.dir, 'big.txt'), text);
    const ds = await client.diagnostics(u, { pred: (x) => x.length > 0 });
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ severity: 3, code: 'too-large', source: 'candor', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
    expect(ds[0].message).toMatch(/2\.0 KB.*1\.0 KB/);
    client.settings = { debounce: 0 };
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { candor: client.settings } });
  });
});

describe('debounce and cancellation', () => {
  it('rapid edits publish once, for the last version only', async () => {
    const ws = tempWorkspace({});
    const client = new TestClient({ rootDir: ws.dir, settings: { debounce: 150 } });
    try {
      await client.initialize();
      const u = client.open(path.join(ws.dir, 'typing.txt'), 'Hi.\n');
      await client.diagnostics(u, { version: 1 });
      const before = client.publishLog.length;
      const started = performance.now();
      let text = 'Hi.\n';
      let last = 1;
      for (const ch of ' Per our policy, no.') {
        const col = text.length - 1;
        text = text.slice(0, col) + ch + text.slice(col);
        last = client.change(u, [{ range: { start: { line: 0, character: col }, end: { line: 0, character: col } }, text: ch }]);
        await new Promise((r) => setTimeout(r, 10));
      }
      const ds = await client.diagnostics(u, { version: last });
      expect(byRule(ds, POLICY)).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 300));
      const published = client.publishLog.slice(before).filter((p) => p.uri === u);
      expect(published.map((p) => p.version)).toEqual([last]);
      // Nothing was published while typing (~20 keystrokes, 10 ms apart, debounce 150 ms).
      expect(published[0].at - started).toBeGreaterThan(150);
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });

  it('a 1 MB document is linted off the main thread: other requests answer meanwhile, stale lints are dropped', async () => {
    const ws = tempWorkspace({});
    const client = new TestClient({ rootDir: ws.dir, settings: { debounce: 0 } });
    try {
      await client.initialize();
      const small = client.open(path.join(ws.dir, 'small.txt'), 'Per our policy, no.\n');
      await client.diagnostics(small, { pred: (x) => x.length > 0 });
      const para = 'Thanks for writing in. Per our policy, refunds take five days to reach your card.\n\n';
      const big = para.repeat(Math.ceil(1_000_000 / para.length));
      const bu = client.open(path.join(ws.dir, 'big.md'), big, 'markdown');
      // While the big file is being linted, hovers on the small file answer quickly.
      const t0 = performance.now();
      const h = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: small }, position: { line: 0, character: 2 } });
      const hoverMs = performance.now() - t0;
      expect(h?.contents.value).toContain(POLICY);
      expect(hoverMs).toBeLessThan(500); // an inline lint of 1 MB takes seconds
      // A new version supersedes the running lint; only the newest is published.
      const v2 = client.change(bu, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'Hello. ' }]);
      const ds = await client.diagnostics(bu, { version: v2, timeout: 30_000 });
      expect(byRule(ds, POLICY).length).toBe(Math.ceil(1_000_000 / para.length));
      expect(byRule(ds, POLICY)[0].range.start).toEqual({ line: 0, character: 30 });
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });
});

describe('pull diagnostics', () => {
  it('answers textDocument/diagnostic with full and unchanged reports, and refreshes on config change', async () => {
    const ws = tempWorkspace({});
    const client = new TestClient({ rootDir: ws.dir, pull: true, settings: { debounce: 0 } });
    try {
      const init = await client.initialize();
      expect(init.capabilities.diagnosticProvider).toMatchObject({ interFileDependencies: false, workspaceDiagnostics: false });
      const text = 'Per our policy, no.\n';
      const u = client.open(path.join(ws.dir, 'pull.txt'), text);
      const r1 = await client.request<{ kind: string; resultId: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: u } });
      expect(r1.kind).toBe('full');
      expect(byRule(r1.items, POLICY)[0].range).toEqual(rangeOf(text, 'Per our policy'));
      const r2 = await client.request<{ kind: string; resultId: string }>('textDocument/diagnostic', { textDocument: { uri: u }, previousResultId: r1.resultId });
      expect(r2).toEqual({ kind: 'unchanged', resultId: r1.resultId });
      expect(client.published.has(u)).toBe(false);
      await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { candor: { debounce: 0 } } });
      const deadline = Date.now() + 5000;
      while (client.refreshes === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(client.refreshes).toBeGreaterThan(0);
      const r3 = await client.request<{ kind: string; resultId: string }>('textDocument/diagnostic', { textDocument: { uri: u }, previousResultId: r1.resultId });
      expect(r3.kind).toBe('full');
      // No .candor.json yet: "Allow" creates one in the workspace folder.
      const d = byRule(r1.items, POLICY)[0];
      const allow = titled(await client.codeActions(u, d.range, [d]), 'Allow “per our policy” in .candor.json');
      const configUri = uri(path.join(ws.dir, '.candor.json'));
      expect(allow.edit?.documentChanges?.[0]).toEqual({ kind: 'create', uri: configUri, options: { overwrite: false, ignoreIfExists: true } });
      expect(applyEdits('', editsFor(allow, configUri))).toBe('{\n  "allow": [\n    "per our policy"\n  ]\n}\n');
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });
});

describe('untrusted workspace and clients without workspace/configuration', () => {
  it('untrusted: .candor.json is not read; init_options settings apply when the client has no configuration support', async () => {
    const ws = tempWorkspace({ '.candor.json': '{ "allow": ["per our policy"] }\n' });
    const untrusted = new TestClient({ rootDir: ws.dir, initializationOptions: { trusted: false }, settings: { debounce: 0 } });
    const plain = new TestClient({ rootDir: ws.dir, configuration: false, initializationOptions: { settings: { debounce: 0, rules: { [POLICY]: 'error' } } } });
    try {
      await untrusted.initialize();
      const u = untrusted.open(path.join(ws.dir, 'a.txt'), 'Per our policy, no.\n');
      expect(byRule(await untrusted.diagnostics(u, { pred: (x) => x.length > 0 }), POLICY)).toHaveLength(1);
      await plain.initialize();
      const p = plain.open(path.join(ws.dir, 'sub/b.txt'), 'Per our policy, no.\n');
      // Trusted: the workspace .candor.json allows the phrase.
      expect(await plain.diagnostics(p, { version: 1 })).toEqual([]);
      writeFileSync(path.join(ws.dir, '.candor.json'), '{}\n');
      await plain.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(path.join(ws.dir, '.candor.json')), type: 2 }] });
      expect(byRule(await plain.diagnostics(p, { pred: (x) => x.length > 0 }), POLICY)[0].severity).toBe(1);
    } finally {
      await untrusted.stop();
      await plain.stop();
      ws.cleanup();
    }
  });
});

describe('multi-root workspaces', () => {
  it('each folder has its own .candor.json and its own candor.* settings; the workspace lint covers every folder', async () => {
    const a = tempWorkspace({ '.candor.json': '{ "allow": ["per our policy"] }\n', 'one.txt': 'Per our policy, no.\n' });
    const b = tempWorkspace({ 'two.txt': 'Per our policy, no.\n' });
    const client = new TestClient({
      rootDir: a.dir,
      extraFolders: [b.dir],
      scopedSettings: (scope) => (scope?.startsWith(uri(b.dir)) ? { debounce: 0, rules: { [POLICY]: 'error' } } : { debounce: 0 }),
    });
    try {
      await client.initialize();
      const ua = client.open(path.join(a.dir, 'a.txt'), 'Per our policy, no.\n');
      const ub = client.open(path.join(b.dir, 'b.txt'), 'Per our policy, no.\n');
      expect(byRule(await client.diagnostics(ua, { version: 1 }), POLICY)).toEqual([]);
      expect(byRule(await client.diagnostics(ub, { version: 1 }), POLICY).map((d) => d.severity)).toEqual([1]);
      await client.request('workspace/executeCommand', { command: 'candor.server.lintWorkspace', arguments: [] });
      expect(byRule(await client.diagnostics(uri(path.join(b.dir, 'two.txt'))), POLICY).map((d) => d.severity)).toEqual([1]);
      expect(client.published.get(uri(path.join(a.dir, 'one.txt')))?.diagnostics.filter((d) => d.code === POLICY) ?? []).toEqual([]);
    } finally {
      await client.stop();
      a.cleanup();
      b.cleanup();
    }
  });
});
