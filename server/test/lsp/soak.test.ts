import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { LineIndex } from '../../src/engine/positions.js';
import { findingToDiagnostic, problemToDiagnostic } from '../../src/lsp/diagnostics.js';
import { DocumentSettingsCache, normalizeSettings } from '../../src/lsp/settings.js';
import { TestClient, tempWorkspace, uri, type Diagnostic } from './lsp-client.js';

/**
 * Soak: ONE real server process over stdio takes a long random session — incremental edits
 * (seeded PRNG) across several open documents of every format, interleaved with opens,
 * closes, hovers, code actions, `workspace/didChangeConfiguration` and `.candor.json`
 * changes (on disk and as an unsaved open buffer). Checked:
 *  - it never crashes: the process stays alive, no request fails, no unhandled
 *    rejection/exception in stderr or the server's log;
 *  - at checkpoints (middle, end) the diagnostics published for each open document equal a
 *    fresh lint of its final text: the engine's lint() with settings resolved from scratch
 *    (rule ids, ranges, severities); closed documents end with no diagnostics;
 *  - memory stays flat: heap after a forced GC (`--expose-gc` + the CANDOR_DEBUG-only
 *    `candor/debugMemory` request) and RSS (/proc/<pid>/status) sampled every 10 %; the
 *    bound applies from "start", after a warm-up that fills the engine's bounded rule-set
 *    cache (16 entries), so what grows after it is a leak.
 *
 * CI runs SOAK_EDITS (default 1,000) with a fixed seed; `npm run soak` runs 10,000 with a
 * random one (scripts/soak.mjs). SOAK_SEED=<n> replays a run.
 */

const EDITS = Number(process.env.SOAK_EDITS ?? 1000);
const SEED = Number(process.env.SOAK_SEED ?? 0x5eed);
const HEAP_GROWTH_LIMIT = Number(process.env.SOAK_HEAP_LIMIT_MB ?? 30) * 1024 * 1024;

// ---------------------------------------------------------------- seeded randomness
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(SEED);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
const chance = (p: number) => rand() < p;

// ---------------------------------------------------------------- content
const PHRASES = [
  'Per our policy, ',
  'per our policies',
  'As per company policy',
  'We apologize for any inconvenience.',
  "Don't hesitate to reach out",
  'Your call is important to us.',
  'Dear valued customer,',
  'at your service',
  'your humble servant',
  'There is nothing I can do.',
  'Unfortunately, we are unable to',
  'Please be advised that',
  'the customer is king',
  'you failed to',
  'as previously stated',
  'my superior',
  'the customer service department',
  'zebra crossing',
  'a spotted horse',
];
const WORDS = ['Hi', 'thanks', 'order', 'refund', 'shipping', 'today', 'we', 'will', 'look', 'into', 'it', 'king-size bed', 'the Privacy Policy is linked below', 'our support department is open 24/7', '.', ',', '!', '?'];
const TAGS = ['{{ customer.first_name }}', '{% if order %}', '{% endif %}', '{{#if vip}}', '{{/if}}', '{{> footer}}', '<%= name %>', '{% trans %}', '%NAME%', '[Name]', '{{ticket.requester.first_name}}', '{{', '}}', '{%', '%}'];
const MARKUP = ['<p>', '</p>', '<b>', '</b>', '<img alt="Per our policy, no." src="x.png">', '<a href="https://example.com/per-our-policy">', '</a>', '<!--', '-->', '`per our policy`', '```\n', '# ', '- ', '> "per our policy" they said '];
const JSONY = ['"', '\\n', '\\"', '\\u00e9', '{', '}', '[', ']', ':', ', ', '"body": "Per our policy, no."', 'null'];
const YAMLY = ['\n  - ', 'body: ', '|\n  ', '"', "'", '&a ', '*a', '# ', ': '];
const ODD = ['🙂', '👍🏽', '🇺🇸', 'é', '\u00a0', '\t', '\r\n', '\n', '\r', '\ud83d', '  '];

function fragment(ext: string): string {
  const r = rand();
  if (r < 0.3) return pick(PHRASES);
  if (r < 0.55) return pick(WORDS) + ' ';
  if (r < 0.68) return pick(TAGS);
  if (r < 0.8) return pick(ODD);
  if (ext === 'json') return pick(JSONY);
  if (ext === 'yaml') return pick(YAMLY);
  return pick(MARKUP);
}

function sentence(): string {
  const parts: string[] = [];
  for (let i = 0, n = 2 + int(6); i < n; i++) parts.push(chance(0.35) ? pick(PHRASES) : chance(0.2) ? pick(TAGS) : chance(0.1) ? pick(ODD.slice(0, 5)) : pick(WORDS.slice(0, 12)));
  return parts.join(' ').replace(/\s+([.,!?])/g, '$1') + '.';
}

function initialText(ext: string): string {
  const eol = chance(0.3) ? '\r\n' : '\n';
  const paras = Array.from({ length: 3 + int(8) }, sentence);
  let text: string;
  switch (ext) {
    case 'json':
      text = JSON.stringify({ macros: paras.map((p, i) => ({ id: i + 1, title: `Macro ${i}`, actions: [{ field: 'comment_value', value: p + '\n\n' + sentence() }] })) }, null, 2);
      break;
    case 'yaml':
      text = ['macros:', ...paras.flatMap((p, i) => [`  - title: Macro ${i}`, `    body: ${JSON.stringify(p)}`, '    note: |', `      ${sentence()}`])].join('\n');
      break;
    case 'html':
      text = ['<html><body>', ...paras.map((p) => `<p>${p}</p>`), `<img alt="${sentence().replace(/"/g, '')}" src="a.png">`, '</body></html>'].join('\n');
      break;
    case 'md':
      text = ['# Reply', '', ...paras.flatMap((p) => [p, '']), '```', 'per our policy', '```'].join('\n');
      break;
    case 'liquid':
      text = ['Hi {{ customer.first_name }},', '', ...paras.flatMap((p) => [p, '']), '{% if order %}{{ order.id }}{% endif %}', '{{ shop.name }} Support'].join('\n');
      break;
    default:
      text = paras.join('\n\n');
  }
  return text.replace(/\n/g, eol) + eol;
}

const LANGUAGE: Record<string, string> = { txt: 'plaintext', md: 'markdown', html: 'html', liquid: 'liquid', json: 'json', yaml: 'yaml' };

// Configuration the session switches between: .candor.json bodies (valid, invalid, JSONC) and
// candor.* settings. Debounce stays 0 so latency measures the server, not the timer.
const CONFIG_PARTS = [
  '"rules": { "defensive": "off" }',
  '"rules": { "cliche": "error", "defensive/per-our-policy": "info" }',
  '"rules": { "hierarchy": "off", "team/zebra": "error" }',
  '"allow": ["per our policy", "at your service"]',
  '"phrases": [{ "id": "team/zebra", "category": "cliche", "message": "Say what you mean.", "patterns": ["zebra crossing", "(spotted|striped) horse"] }]',
  '"ignore": ["*.yaml"]',
  '"overrides": [{ "files": ["*.txt"], "format": "markdown" }]',
  '"files": ["**/*.md", "**/*.liquid", "**/*.json"]',
];
function configText(): string {
  const r = rand();
  if (r < 0.1) return '{ "rules": ';
  if (r < 0.18) return '{ "extends": "./evil.js" }\n';
  if (r < 0.25) return '{}\n';
  const parts = new Map<string, string>();
  for (let i = 0, n = 1 + int(2); i < n; i++) {
    const p = pick(CONFIG_PARTS);
    parts.set(p.slice(1, p.indexOf('"', 1)), p);
  }
  return `// team config\n{\n  ${[...parts.values()].join(',\n  ')},\n}\n`;
}
function settingsValue(): Record<string, unknown> {
  const s: Record<string, unknown> = { debounce: 0 };
  if (chance(0.4)) s.rules = { [pick(['cliche', 'defensive', 'hierarchy', 'defensive/per-our-policy'])]: pick(['off', 'info', 'error']) };
  if (chance(0.3)) s.allow = [pick(['dear valued customer', 'please be advised', 'your call is important to us'])];
  if (chance(0.15)) s.exclude = ['**/*.html'];
  if (chance(0.04)) s.enable = false;
  return s;
}

// ---------------------------------------------------------------- helpers
const key = (d: Pick<Diagnostic, 'code' | 'range' | 'severity'>) =>
  `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}#${d.severity}`;
const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Doc {
  file: string;
  ext: string;
  uri: string;
  local?: TextDocument;
}

describe('soak: one language server, many random edits', () => {
  const ws = tempWorkspace({});
  afterAll(() => ws.cleanup());

  it(`survives ${EDITS} random edits with opens, closes and config changes (seed ${SEED})`, async () => {
    console.log(`soak: seed ${SEED} (replay with SOAK_SEED=${SEED} SOAK_EDITS=${EDITS})`);
    mkdirSync(path.join(ws.dir, 'sub'), { recursive: true });
    const client = new TestClient({ rootDir: ws.dir, settings: { debounce: 0 }, nodeArgs: ['--expose-gc'], env: { CANDOR_DEBUG: '1' } });
    let stderr = '';
    client.proc.stderr!.on('data', (d) => (stderr += String(d)));
    let exited: string | undefined;
    client.proc.on('exit', (code, signal) => (exited = `exit code ${code}, signal ${signal}`));
    const failures: string[] = [];
    const request = async <T>(method: string, params: unknown): Promise<T | undefined> => {
      try {
        return await client.request<T>(method, params);
      } catch (err) {
        failures.push(`${method}: ${(err as Error).message}`);
        return undefined;
      }
    };
    const ctx = () => `seed ${SEED}; server: ${exited ?? 'alive'}; failures: ${failures.slice(0, 5).join(' | ')}; stderr: ${stderr.slice(-2000)}`;

    // Documents: two of each format, in the root and in sub/ (sub/ may get its own config).
    const docs: Doc[] = [];
    for (const ext of Object.keys(LANGUAGE)) for (const dir of ['', 'sub']) docs.push({ file: path.join(ws.dir, dir, `reply-${ext}.${ext}`), ext, uri: '' });
    const configs = [path.join(ws.dir, '.candor.json'), path.join(ws.dir, 'sub', '.candor.json')];
    const configBuffer = { uri: uri(configs[0]), local: undefined as TextDocument | undefined };
    const openDocs = () => docs.filter((d) => d.local);

    const open = (d: Doc) => {
      const text = initialText(d.ext);
      d.uri = client.open(d.file, text, LANGUAGE[d.ext]);
      d.local = TextDocument.create(d.uri, LANGUAGE[d.ext], 1, text);
    };
    const close = (d: Doc) => {
      client.close(d.uri);
      d.local = undefined;
    };

    /** Wait until every open document has diagnostics for its current version. */
    const settle = async (quietMs: number) => {
      for (const d of openDocs()) await client.diagnostics(d.uri, { version: d.local!.version, timeout: 20_000 });
      // Config reloads (an edited config buffer applies after 250 ms) republish: wait for quiet.
      let seen = -1;
      while (seen !== client.publishLog.length) {
        seen = client.publishLog.length;
        await sleep(quietMs);
      }
      for (const d of openDocs()) await client.diagnostics(d.uri, { version: d.local!.version, timeout: 20_000 });
    };

    /** What a fresh lint of each open document's text gives, settings resolved from scratch. */
    const checkAgainstFreshLint = async (label: string) => {
      await settle(400);
      const settings = new DocumentSettingsCache({
        clientSettings: async () => normalizeSettings(client.settings),
        openText: (file) => (file === configs[0] && configBuffer.local ? configBuffer.local.getText() : undefined),
        folderOf: () => ws.dir,
        trusted: () => true,
      });
      let compared = 0;
      let findings = 0;
      for (const d of openDocs()) {
        const text = d.local!.getText();
        const s = await settings.get(d.uri, d.file);
        const expected: Diagnostic[] = [];
        if (s.enabled) {
          const r = lint(text, { path: d.file, format: s.format, ruleSet: s.ruleSet });
          const lines = new LineIndex(text);
          expected.push(...(r.findings.map((f) => findingToDiagnostic(f, lines)) as Diagnostic[]), ...(r.problems.map((p) => problemToDiagnostic(p, lines)) as Diagnostic[]));
        }
        const got = client.published.get(d.uri);
        expect(got?.version, `${label}: version of ${d.file} (${ctx()})`).toBe(d.local!.version);
        expect(got!.diagnostics.map(key).sort(), `${label}: diagnostics of ${path.relative(ws.dir, d.file)} v${d.local!.version} = a fresh lint (${ctx()})\n--- text ---\n${text}`).toEqual(
          expected.map(key).sort(),
        );
        compared++;
        findings += expected.length;
      }
      for (const d of docs.filter((x) => !x.local && x.uri)) {
        expect(client.published.get(d.uri)?.diagnostics ?? [], `${label}: closed ${d.file} has no diagnostics`).toEqual([]);
      }
      console.log(`soak: ${label}: ${compared} open documents match a fresh lint (${findings} diagnostics)`);
    };

    const memory: Array<{ at: string; heap: number; total: number; rss: number }> = [];
    const sampleMemory = async (at: string) => {
      for (const d of openDocs()) await client.diagnostics(d.uri, { version: d.local!.version, timeout: 20_000 });
      const m = await request<{ gc: boolean; heapUsed: number; heapTotal: number; rss: number }>('candor/debugMemory', {});
      expect(m?.gc, `candor/debugMemory forces a GC (${ctx()})`).toBe(true);
      memory.push({ at, heap: m!.heapUsed, total: m!.heapTotal, rss: rssOf(client.proc.pid!) });
    };

    try {
      await client.initialize();
      for (const d of docs) if (chance(0.8) || d.ext === 'txt') open(d);
      writeFileSync(configs[0], configText());
      await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(configs[0]), type: 1 }] });
      await settle(300);
      await sampleMemory('cold');
      // Warm-up: the engine keeps the last 16 compiled rule sets (one per distinct config, a few
      // MB each once scanned) — a bounded cache, filled here so growth after this point is a leak.
      for (let i = 0; i < 20; i++) {
        client.settings = { debounce: 0, allow: [`warm-up phrase ${i}`] };
        await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { candor: client.settings } });
        await settle(30);
      }
      client.settings = { debounce: 0 };
      await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { candor: client.settings } });
      await settle(100);
      await sampleMemory('start');

      const latencies: number[] = [];
      const counts = { edits: 0, changes: 0, opens: 0, closes: 0, settings: 0, configs: 0, configBuffer: 0, hovers: 0, codeActions: 0 };
      const started = performance.now();
      let nextSample = 1;
      let midChecked = false;
      while (counts.edits < EDITS) {
        const r = rand();
        const live = openDocs();
        if (r < 0.04 || live.length < 2) {
          // Open a closed document (sometimes closing and reopening at once: version 1 again).
          const closed = docs.filter((d) => !d.local);
          if (!closed.length) continue;
          const d = pick(closed);
          open(d);
          counts.opens++;
          if (chance(0.3)) {
            close(d);
            open(d);
            counts.opens++;
            counts.closes++;
          }
        } else if (r < 0.07) {
          close(pick(live));
          counts.closes++;
        } else if (r < 0.085) {
          client.settings = settingsValue();
          await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { candor: client.settings } });
          counts.settings++;
        } else if (r < 0.1) {
          const file = pick(configs);
          if (chance(0.15)) {
            rmSync(file, { force: true });
            await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(file), type: 3 }] });
          } else {
            writeFileSync(file, configText());
            await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(file), type: 2 }] });
          }
          counts.configs++;
        } else if (r < 0.11) {
          // The root .candor.json as an open, unsaved buffer: its text applies, not the disk's.
          if (configBuffer.local && chance(0.4)) {
            client.close(configBuffer.uri);
            configBuffer.local = undefined;
          } else if (configBuffer.local) {
            const text = configText();
            const end = configBuffer.local.positionAt(configBuffer.local.getText().length);
            const change = { range: { start: { line: 0, character: 0 }, end }, text };
            const v = client.change(configBuffer.uri, [change]);
            configBuffer.local = TextDocument.update(configBuffer.local, [change], v);
          } else {
            const text = configText();
            client.open(configs[0], text, 'jsonc');
            configBuffer.local = TextDocument.create(configBuffer.uri, 'jsonc', 1, text);
          }
          counts.configBuffer++;
        } else if (r < 0.13) {
          const d = pick(live);
          const pos = d.local!.positionAt(int(d.local!.getText().length + 1));
          if (chance(0.5)) {
            await request('textDocument/hover', { textDocument: { uri: d.uri }, position: pos });
            counts.hovers++;
          } else {
            const diagnostics = client.published.get(d.uri)?.diagnostics ?? [];
            const range = diagnostics.length && chance(0.7) ? pick(diagnostics).range : { start: pos, end: pos };
            await request('textDocument/codeAction', { textDocument: { uri: d.uri }, range, context: { diagnostics } });
            counts.codeActions++;
          }
        } else {
          // An edit: 1-3 incremental changes in one didChange (insert, delete or replace).
          const d = pick(live);
          const changes: Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string }> = [];
          // TextDocument.update mutates: plan multi-change edits on a scratch copy.
          const local = TextDocument.create(d.uri, d.local!.languageId, d.local!.version, d.local!.getText());
          for (let i = 0, n = chance(0.8) ? 1 : 2 + int(2); i < n; i++) {
            const text = local.getText();
            const len = text.length;
            let change;
            if (chance(0.01)) {
              // Replace everything (a paste over the whole file).
              change = { range: { start: local.positionAt(0), end: local.positionAt(len) }, text: initialText(d.ext) };
            } else {
              const at = int(len + 1);
              const del = len > 6000 || chance(0.3) ? int(Math.min(len - at, len > 6000 ? 400 : 30) + 1) : 0;
              const ins = chance(del ? 0.5 : 1) ? Array.from({ length: 1 + int(3) }, () => fragment(d.ext)).join(chance(0.5) ? ' ' : '') : '';
              change = { range: { start: local.positionAt(at), end: local.positionAt(at + del) }, text: ins };
            }
            changes.push(change);
            TextDocument.update(local, [change], local.version);
          }
          const t0 = performance.now();
          const v = client.change(d.uri, changes);
          d.local = TextDocument.update(d.local!, changes, v);
          counts.edits++;
          counts.changes += changes.length;
          // Mostly wait for the diagnostics, as an editor does; sometimes type on (a burst).
          if (chance(0.6)) {
            await client.diagnostics(d.uri, { version: v, timeout: 20_000 }).catch((err) => {
              throw new Error(`${(err as Error).message} (${ctx()})`);
            });
            latencies.push(performance.now() - t0);
          }
        }
        expect(exited, ctx()).toBeUndefined();
        if (counts.edits >= (nextSample * EDITS) / 10) {
          nextSample++;
          if (!midChecked && counts.edits >= EDITS / 2) {
            midChecked = true;
            await checkAgainstFreshLint('middle');
            await sampleMemory('middle');
          } else if (counts.edits < EDITS) {
            await sampleMemory(`${Math.round((counts.edits / EDITS) * 100)}%`);
          }
        }
      }
      const seconds = (performance.now() - started) / 1000;
      await checkAgainstFreshLint('end');
      // Back to the defaults (no config files, default settings): everything is linted again.
      for (const file of configs) rmSync(file, { force: true });
      if (configBuffer.local) client.close(configBuffer.uri);
      configBuffer.local = undefined;
      await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: configs.map((f) => ({ uri: uri(f), type: 3 })) });
      client.settings = { debounce: 0 };
      await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { candor: client.settings } });
      await checkAgainstFreshLint('end, defaults');
      await sampleMemory('end');

      const first = memory.find((m) => m.at === 'start')!;
      const last = memory[memory.length - 1];
      const peakRss = Math.max(...memory.map((m) => m.rss));
      console.log(
        [
          `soak: ${counts.edits} edits (${counts.changes} changes) in ${seconds.toFixed(1)} s = ${(counts.edits / seconds).toFixed(0)} edits/s (incl. waits and checks); ` +
            `${counts.opens} opens, ${counts.closes} closes, ${counts.settings} settings changes, ${counts.configs} .candor.json writes, ${counts.configBuffer} config-buffer edits, ${counts.hovers} hovers, ${counts.codeActions} code actions`,
          `soak: edit→diagnostics latency (debounce 0, ${latencies.length} samples): p50 ${pct(latencies, 50).toFixed(1)} ms, p95 ${pct(latencies, 95).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`,
          `soak: heap used/total after GC, RSS (MB): ${memory.map((m) => `${m.at} ${mb(m.heap)}/${mb(m.total)}, ${mb(m.rss)}`).join('; ')}`,
          `soak: heap growth start→end ${mb(last.heap - first.heap)} MB (limit ${mb(HEAP_GROWTH_LIMIT)}; cold ${mb(memory[0].heap)} MB before the rule-set cache filled), RSS start ${mb(first.rss)} → end ${mb(last.rss)} MB, peak ${mb(peakRss)} MB`,
        ].join('\n'),
      );

      expect(failures, ctx()).toEqual([]);
      expect(exited, ctx()).toBeUndefined();
      expect(stderr, 'stderr is free of unhandled rejections and exceptions').not.toMatch(/unhandled|uncaught|exception|error/i);
      expect(client.logs.filter((l) => /Uncaught|Unhandled rejection|failed/.test(l)), ctx()).toEqual([]);
      expect(last.heap - first.heap, `heap growth after GC (${ctx()})`).toBeLessThan(HEAP_GROWTH_LIMIT);
      expect(latencies.length).toBeGreaterThan(EDITS / 4);
    } finally {
      await client.stop();
    }
  }, Math.max(60_000, EDITS * 200));
});

describe('closing and reopening a document at once (found by the soak)', () => {
  // The reopened document starts at version 1 again: a lint of the closed one still waiting
  // for its settings must neither be published nor cached for it.
  for (const pull of [false, true]) {
    it(`never serves the closed text's diagnostics (${pull ? 'pull' : 'push'})`, async () => {
      const ws = tempWorkspace({});
      const client = new TestClient({ rootDir: ws.dir, settings: { debounce: 0 }, pull });
      const file = path.join(ws.dir, 'reply.txt');
      const stale: string[] = [];
      try {
        await client.initialize();
        for (let i = 0; i < 30; i++) {
          const u = client.open(file, 'Per our policy, no.\n');
          const first = pull ? client.request('textDocument/diagnostic', { textDocument: { uri: u } }).catch(() => undefined) : undefined;
          await sleep(i % 4);
          client.close(u);
          const mark = client.publishLog.length;
          client.open(file, 'Hello there, all good.\n');
          await first;
          if (pull) {
            const r = await client.request<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: u } });
            if (r.items.length) stale.push(`pull ${i}: ${r.items.map((d) => d.code).join(',')}`);
          } else {
            await sleep(50);
            // A publish sent before the server saw didClose is legitimate; after the close's
            // empty, unversioned publish, only the new text's diagnostics may follow.
            const after = client.publishLog.slice(mark).filter((p) => p.uri === u);
            const cleared = after.findIndex((p) => p.version === undefined);
            for (const p of after.slice(cleared + 1)) if (p.version === 1 && p.count > 0) stale.push(`push ${i}`);
            if (cleared < 0) stale.push(`push ${i}: no publish for the close`);
          }
          const hover = await client.request('textDocument/hover', { textDocument: { uri: u }, position: { line: 0, character: 2 } });
          if (hover) stale.push(`hover ${i}`);
          client.close(u);
          await sleep(5);
        }
        expect(stale).toEqual([]);
      } finally {
        await client.stop();
        ws.cleanup();
      }
    });
  }
});
