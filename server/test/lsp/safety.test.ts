import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ROOT, TestClient, tempWorkspace, uri, type CodeAction, type Diagnostic } from './lsp-client.js';

/**
 * The language server is safe to run on a workspace nobody has vetted: it opens no network
 * connection, an untrusted workspace cannot change what it does, nothing from a workspace is
 * ever required or executed, and a pathological team pattern cannot hang it.
 */

const POLICY = 'defensive/per-our-policy';
const HOOK = path.join(ROOT, 'test/reliability/no-network-hook.cjs');
const rules = (ds: Diagnostic[]) => ds.map((d) => String(d.code));
const hoverText = (h: { contents: { value: string } | string } | null) => (h ? (typeof h.contents === 'string' ? h.contents : h.contents.value) : '');

describe('no network', () => {
  it('initialize, didOpen, hover, codeAction and a workspace lint open no socket and resolve no host', async () => {
    const logDir = mkdtempSync(path.join(tmpdir(), 'candor-net-'));
    onTestFinished(() => rmSync(logDir, { recursive: true, force: true }));
    const log = path.join(logDir, 'network.log');
    const ws = tempWorkspace({
      'macros/refund.liquid': 'Hi {{ customer.first_name }},\n\nPer our policy, refunds take 30 days.\n',
      'macros/big.txt': 'Thanks for writing in. '.repeat(4000) + 'Per our policy, no.\n', // > 64 KB: the worker thread
      'docs/links.md': 'See https://example.com/help and mail help@example.com. Per our policy, no.\n',
      '.candor.json': '{ "allow": ["at your service"] }\n',
    });
    const client = new TestClient({ rootDir: ws.dir, settings: { debounce: 0 }, nodeArgs: ['--require', HOOK], env: { CANDOR_NETWORK_LOG: log } });
    try {
      await client.initialize();
      const u = client.open(path.join(ws.dir, 'macros/refund.liquid'), 'Hi {{ customer.first_name }},\n\nPer our policy, refunds take 30 days.\n', 'liquid');
      const big = client.open(path.join(ws.dir, 'macros/big.txt'), 'Thanks for writing in. '.repeat(4000) + 'Per our policy, no.\n');
      const diags = await client.diagnostics(u, { pred: (d) => d.length > 0 });
      expect(rules(diags)).toContain(POLICY);
      expect(rules(await client.diagnostics(big, { pred: (d) => d.length > 0 }))).toContain(POLICY);
      const policy = diags.find((d) => d.code === POLICY)!;
      const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: u }, position: policy.range.start });
      expect(hoverText(hover)).toMatch(/per-our-policy/);
      const actions = await client.codeActions(u, policy.range, [policy]);
      expect(actions.length).toBeGreaterThan(0);
      const result = await client.request<{ files: number; findings: number }>('workspace/executeCommand', { command: 'candor.server.lintWorkspace', arguments: [] });
      expect(result.files).toBeGreaterThanOrEqual(3);
      expect(result.findings).toBeGreaterThanOrEqual(1); // open documents are linted live, not counted again
      expect(rules(await client.diagnostics(uri(path.join(ws.dir, 'docs/links.md'))))).toContain(POLICY);
      expect(client.proc.exitCode).toBeNull();
    } finally {
      await client.stop();
      ws.cleanup();
    }
    expect(existsSync(log), existsSync(log) ? (await import('node:fs')).readFileSync(log, 'utf8') : '').toBe(false);
  });
});

describe('untrusted workspace', () => {
  const config = JSON.stringify({
    rules: { defensive: 'off' },
    allow: ['dear valued customer'],
    phrases: [{ id: 'team/zebra', category: 'cliche', message: 'Say what you mean.', patterns: ['zebra crossing'] }],
  });
  const text = 'Dear valued customer, per our policy the zebra crossing is closed.\n';

  it('a .candor.json that turns rules off, allows and adds phrases has effect only when trusted', async () => {
    const ws = tempWorkspace({ '.candor.json': config, 'reply.txt': text });
    const trusted = new TestClient({ rootDir: ws.dir, settings: { debounce: 0 } });
    // Workspace settings are ignored too (VS Code marks them restricted; the server drops them).
    const untrusted = new TestClient({ rootDir: ws.dir, initializationOptions: { trusted: false }, settings: { debounce: 0, rules: { cliche: 'off', hierarchy: 'off' }, allow: ['per our policy'] } });
    try {
      await trusted.initialize();
      await untrusted.initialize();
      const file = path.join(ws.dir, 'reply.txt');
      // The config is valid and does what it says in a trusted workspace...
      const t = rules(await trusted.diagnostics(trusted.open(file, text), { version: 1 }));
      expect(t).toContain('team/zebra');
      expect(t).not.toContain(POLICY);
      expect(t.some((r) => r.startsWith('hierarchy/'))).toBe(false);
      // ...and is ignored in an untrusted one: built-in rules at their defaults.
      const u = untrusted.open(file, text);
      const d = await untrusted.diagnostics(u, { version: 1 });
      expect(rules(d)).toContain(POLICY);
      expect(rules(d)).not.toContain('team/zebra');
      expect(rules(d).some((r) => r.startsWith('hierarchy/'))).toBe(true);
      // No action writes to the workspace's .candor.json.
      const policy = d.find((x) => x.code === POLICY)!;
      const titles = (await untrusted.codeActions(u, policy.range, [policy])).map((a: CodeAction) => a.title);
      expect(titles.length).toBeGreaterThan(0);
      expect(titles.filter((x) => x.includes('.candor.json'))).toEqual([]);
      // A config change on disk, or the config opened and edited as a buffer, still changes nothing.
      const configPath = path.join(ws.dir, '.candor.json');
      writeFileSync(configPath, JSON.stringify({ rules: { defensive: 'off', hierarchy: 'off' } }));
      await untrusted.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(configPath), type: 2 }] });
      untrusted.open(configPath, '{ "rules": { "defensive": "off" } }', 'jsonc');
      await new Promise((r) => setTimeout(r, 500));
      const v = untrusted.change(u, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'Per our policy, no.\n' }]);
      const after = await untrusted.diagnostics(u, { version: v });
      expect(after.filter((x) => x.code === POLICY)).toHaveLength(2);
      // The workspace lint of an untrusted folder uses the defaults as well.
      const closed = path.join(ws.dir, 'closed.txt');
      writeFileSync(closed, text);
      await untrusted.request('workspace/executeCommand', { command: 'candor.server.lintWorkspace', arguments: [] });
      const c = rules(await untrusted.diagnostics(uri(closed)));
      expect(c).toContain(POLICY);
      expect(c).not.toContain('team/zebra');
    } finally {
      await trusted.stop();
      await untrusted.stop();
      ws.cleanup();
    }
  });
});

describe('configuration is data: nothing from the workspace is required or executed', () => {
  it('.candor.js, .candorrc.js, candor.config.js and "extends": "./evil.js" have no effect; "extends" gets a config diagnostic', async () => {
    const markerDir = mkdtempSync(path.join(tmpdir(), 'candor-evil-'));
    onTestFinished(() => rmSync(markerDir, { recursive: true, force: true }));
    const marker = path.join(markerDir, 'executed');
    const evil = `require('node:fs').appendFileSync(${JSON.stringify(marker)}, __filename + '\\n');\nmodule.exports = { rules: { defensive: 'off' } };\n`;
    const ws = tempWorkspace({
      '.candor.json': '{\n  "extends": "./evil.js",\n  "rules": { "defensive": "off" }\n}\n',
      'evil.js': evil,
      '.candor.js': evil,
      '.candorrc.js': evil,
      'candor.config.js': evil,
      'candor.config.cjs': evil,
      'sub/.candor.json': '{ "extends": "./shared.json" }\n',
      'sub/shared.json': '{ "rules": { "defensive": "off" } }\n',
      'reply.txt': 'Per our policy, no.\n',
      'sub/reply.txt': 'Per our policy, no.\n',
    });
    const client = new TestClient({ rootDir: ws.dir, settings: { debounce: 0 } });
    try {
      await client.initialize();
      const a = client.open(path.join(ws.dir, 'reply.txt'), 'Per our policy, no.\n');
      const b = client.open(path.join(ws.dir, 'sub/reply.txt'), 'Per our policy, no.\n');
      // An invalid config: Candor runs on its defaults (the "off" next to "extends" is not applied).
      expect(rules(await client.diagnostics(a, { version: 1 }))).toContain(POLICY);
      expect(rules(await client.diagnostics(b, { version: 1 }))).toContain(POLICY);
      for (const rel of ['.candor.json', 'sub/.candor.json']) {
        const config = await client.diagnostics(uri(path.join(ws.dir, rel)), { pred: (d) => d.length > 0 });
        const extendsDiag = config.find((d) => /Unknown property "extends"/.test(d.message));
        expect(extendsDiag, JSON.stringify(config)).toBeDefined();
        expect(extendsDiag!.severity).toBe(1);
        expect(extendsDiag!.range.start.line).toBe(rel === '.candor.json' ? 1 : 0);
      }
      // The workspace lint walks those .js files' folders without loading them.
      const result = await client.request<{ files: number }>('workspace/executeCommand', { command: 'candor.server.lintWorkspace', arguments: [] });
      expect(result.files).toBeGreaterThanOrEqual(2);
      expect(client.proc.exitCode).toBeNull();
    } finally {
      await client.stop();
      ws.cleanup();
    }
    expect(existsSync(marker), 'a workspace .js file was executed').toBe(false);
  });
});

describe('a pathological team pattern', () => {
  it('"(a|a a|a a a)? (a|a a)? a a a a b" on a long line of "a a a …" does not hang the server', async () => {
    const config = JSON.stringify({
      phrases: [{ id: 'team/evil', category: 'cliche', message: 'Evil.', patterns: ['(a|a a|a a a)? (a|a a)? a a a a b'] }],
    });
    const ws = tempWorkspace({ '.candor.json': config });
    const client = new TestClient({ rootDir: ws.dir, settings: { debounce: 0 } });
    try {
      await client.initialize();
      const other = client.open(path.join(ws.dir, 'other.txt'), 'Per our policy, no.\n');
      await client.diagnostics(other, { version: 1 });
      // Inline (main thread, 60 KB) and on the worker thread (600 KB); then a hover elsewhere.
      const times: string[] = [];
      for (const [name, n] of [
        ['inline.txt', 30_000],
        ['worker.txt', 300_000],
      ] as const) {
        const evil = client.open(path.join(ws.dir, name), 'a '.repeat(n) + '\n');
        const t0 = performance.now();
        const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: other }, position: { line: 0, character: 2 } });
        const hoverMs = performance.now() - t0;
        expect(hoverText(hover)).toMatch(/per-our-policy/);
        expect(hoverMs, `hover answered in ${hoverMs.toFixed(0)} ms`).toBeLessThan(2_000);
        expect(await client.diagnostics(evil, { version: 1, timeout: 10_000 })).toEqual([]);
        times.push(`${name}: hover ${hoverMs.toFixed(0)} ms, lint done after ${(performance.now() - t0).toFixed(0)} ms`);
      }
      // The pattern still works where it should match.
      const hit = client.open(path.join(ws.dir, 'hit.txt'), 'a a a a a a b\n');
      expect(rules(await client.diagnostics(hit, { version: 1 }))).toEqual(['team/evil']);
      console.log(`evil pattern: ${times.join('; ')}`);
      expect(client.proc.exitCode).toBeNull();
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });
});
