#!/usr/bin/env node
// Side-by-side benchmark: Candor vs the tools a user would otherwise reach for, on the same
// files, in one run. `npm run bench` (peers installed by bench/setup.sh), `--with-proselint`
// adds proselint (slow: minutes), `--quick` runs fewer repetitions.
//
// Figures: whole-process wall time (median), MB/s, files/s and peak RSS (GNU time) for the
// CLI on the real corpus copied 10×; editor latency over real LSP stdio (didChange →
// publishDiagnostics, no debounce) on 5 KB / 100 KB / 1 MB documents; scaling 1×–8×.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Outside the repository: the repo's .gitignore and .candor.json must not apply to the inputs.
const work = path.join(os.tmpdir(), 'candor-bench');
const corpus = path.resolve(root, '../shared/corpus/real');
const args = new Set(process.argv.slice(2));
const withProselint = args.has('--with-proselint');
const quick = args.has('--quick');
const RUNS = quick ? 1 : 3;
// Sub-second runs are noisy on a shared VM: more of them, after one warm-up run (disk cache).
const FAST_RUNS = quick ? 3 : 9;
// `--only cli` or `--only editor` runs one half.
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex > 0 ? process.argv[onlyIndex + 1] : undefined;

execFileSync('bash', [path.join(root, 'bench/setup.sh'), ...(withProselint ? ['--with-proselint'] : [])], { stdio: 'inherit' });
if (!existsSync(path.join(root, 'server/dist/cli.cjs'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });

// ---------- inputs ----------
function copyCorpus(times) {
  const dir = path.join(work, `corpus${times}x`);
  if (existsSync(dir)) return dir;
  const files = readdirSync(corpus).filter((f) => f !== 'MANIFEST.tsv' && f !== 'README.md');
  for (let i = 0; i < times; i++) {
    const sub = path.join(dir, `copy${i}`);
    mkdirSync(sub, { recursive: true });
    for (const f of files) cpSync(path.join(corpus, f), path.join(sub, f));
  }
  return dir;
}

function dirStats(dir) {
  let bytes = 0;
  let files = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        files++;
        bytes += statSync(p).size;
      }
    }
  };
  walk(dir);
  return { bytes, files };
}

function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** A synthetic support template of about `size` bytes: prose, phrases, placeholders, tags. */
function synthetic(size) {
  const sentences = [
    'Hi {{ customer.first_name }}, thanks for writing in about order {{ order.name }}.',
    'Unfortunately, we are unable to refund this order at this time.',
    'Per our policy, exchanges are possible within 30 days of delivery.',
    'Your call is important to us and we value your business.',
    'I checked the tracking and the parcel left our warehouse on Tuesday.',
    'We apologize for any inconvenience this may have caused.',
    '<p>Our support department is open 24/7; reply to this email any time.</p>',
    'The replacement ships tomorrow and I will send you the tracking link.',
    'Please be advised that your ticket has been escalated to my superior.',
    '{% if order.gift %}The gift receipt is attached.{% endif %}',
    'If the size is wrong, tell me which one you need and I will swap it.',
    'Dear valued customer, it is not my job to change the shipping rates.',
  ];
  let out = '';
  let i = 0;
  while (out.length < size) {
    out += sentences[i % sentences.length] + (i % 4 === 3 ? '\n\n' : ' ');
    i++;
  }
  return out.slice(0, size);
}

function phrasesFile() {
  const file = path.join(work, 'phrases.txt');
  const rules = JSON.parse(readFileSync(path.join(root, 'server/src/rules/builtin-rules.generated.json'), 'utf8')).rules;
  // The floor: a fixed-string scan for one literal form of each pattern.
  const phrases = new Set();
  for (const r of rules) for (const item of r.patterns) { const p = typeof item === "string" ? item : item.pattern; phrases.add(p.replace(/\([^)]*\)\?/g, '').replace(/\(([^|)]*)[^)]*\)/g, '$1').replace(/[~?*]/g, '').replace(/\s+/g, ' ').trim()); }
  writeFileSync(file, [...phrases].filter(Boolean).join('\n') + '\n');
  return file;
}

// ---------- measurement ----------
// Every tool runs in the same environment, without the variables that configure Node for the
// network: NODE_EXTRA_CA_CERTS (set on machines behind a TLS-inspecting proxy, as this sandbox
// is for its npm mirror) makes every Node process load and parse the extra certificates before
// it runs a line of code — ~40 ms per start here (nodejs/node#40524) — and none of the tools
// measured opens a connection. NODE_OPTIONS could preload anything. The CLI figures say what
// Candor takes with the variable as the machine sets it.
const NETWORK_ONLY = ['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS'];
const machineEnv = { ...process.env, NO_COLOR: '1' };
const benchEnv = Object.fromEntries(Object.entries(machineEnv).filter(([k]) => !NETWORK_ONLY.includes(k)));
const removed = NETWORK_ONLY.filter((k) => process.env[k] !== undefined);

// A pause before every measured run: Candor's CLI exits before the child Node it lints a large
// run in has finished its teardown (~10 ms of a core, see bin/candor.js), and the next run
// should not pay for it, whichever tool it is.
const pause = new Int32Array(new SharedArrayBuffer(4));
function timed(cmd, argv, opts = {}) {
  Atomics.wait(pause, 0, 0, 25);
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...argv], { encoding: 'utf8', maxBuffer: 1 << 30, cwd: opts.cwd ?? root, env: opts.env ?? benchEnv });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const rssKb = Number((r.stderr.trim().split('\n').pop() || '0').trim());
  if (r.status !== 0 && r.status !== 1 && !opts.anyExit) throw new Error(`${cmd} ${argv.slice(0, 3).join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return { wall, rssMb: rssKb / 1024, stdout: r.stdout };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// ---------- targets ----------
// The issue's targets, each checked against the figure measured for it and printed last: met,
// or missed and by how much (a ratio target also says what Candor's time would have to be).
const targets = [];
function target(what, measured, required, { atLeast = false, unit = '', digits = 2, note = '' } = {}) {
  const met = atLeast ? measured >= required : measured <= required;
  const off = atLeast ? 1 - measured / required : measured / required - 1;
  // "missed by" is relative to the required figure (a 35% spread against 25% is 40% over).
  targets.push({ what, met, measured: `${measured.toFixed(digits)}${unit}`, required: `${atLeast ? '≥' : '≤'} ${required}${unit}`, verdict: met ? 'met' : `missed by ${Math.max(1, Math.round(off * 100))}% of the required figure${note ? `; ${note}` : ''}` });
}

function measure(name, cmd, argv, runs, opts) {
  // A warm-up run, not counted (not for alex: a run takes over 20 s and warms up within itself).
  if (runs > 1 && !opts?.slow) timed(cmd, argv, opts);
  const results = [];
  for (let i = 0; i < runs; i++) {
    results.push(timed(cmd, argv, opts));
    opts?.after?.();
  }
  return { name, wall: median(results.map((r) => r.wall)), rssMb: Math.max(...results.map((r) => r.rssMb)), runs };
}

// ---------- CLI figures ----------
mkdirSync(work, { recursive: true });
const corpus10 = copyCorpus(10);
const stats = dirStats(corpus10);
const files10 = listFiles(corpus10);
const mb = stats.bytes / 1e6;
const candorBin = path.join(root, 'bin/candor.js');
const bin = (name) => path.join(root, 'bench/node_modules/.bin', name);
writeFileSync(path.join(work, 'retext-parse.mjs'), `
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { unified } from '${path.join(root, 'bench/node_modules/unified/index.js')}';
import retextEnglish from '${path.join(root, 'bench/node_modules/retext-english/index.js')}';
const p = unified().use(retextEnglish);
const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]);
let n = 0;
for (const f of walk(process.argv[2])) { p.parse(readFileSync(f, 'utf8')); n++; }
console.log(n);
`);
// write-good and alex take file lists; pass them in chunks through xargs-like batching.
writeFileSync(path.join(work, 'batch.mjs'), `
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
const [tool, listFile] = process.argv.slice(2);
const files = readFileSync(listFile, 'utf8').split('\\n').filter(Boolean);
for (let i = 0; i < files.length; i += 400) {
  spawnSync(tool, files.slice(i, i + 400), { stdio: ['ignore', 'ignore', 'ignore'] });
}
`);
writeFileSync(path.join(work, 'files10.txt'), files10.join('\n'));

console.log(`\nCandor benchmark — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), Node ${process.version}`);
console.log(`Input: ../shared/corpus/real ×10 = ${stats.files} files, ${mb.toFixed(2)} MB\n`);

if (only !== 'editor') {
const rows = [];
// Candor's runs are spread over the whole CLI half — a block before the peers, one after the fast
// peers and one after every single run of write-good and alex — and the median is taken over all
// of them: a shared VM has slow minutes, and one that fell on a few blocks of sub-second runs
// moved Candor's figure by 30% between two benchmarks (0.49 s in a run where ripgrep, too, was
// 45% slower than usual), while the peers' long runs average such minutes out.
const candorArgs = [candorBin, 'lint', '--format', 'json', corpus10];
const candorRuns = [];
let candorBlocks = 0;
const candorBlock = () => {
  candorBlocks++;
  // Each block after a warm-up run, as every measured tool gets: the first run after another
  // tool's minute-long run was up to twice as slow (this VM reclaims idle page cache).
  timed(process.execPath, candorArgs);
  for (let i = 0; i < Math.ceil(FAST_RUNS / 3); i++) candorRuns.push(timed(process.execPath, candorArgs));
};
candorBlock();
rows.push({ name: 'candor', wall: 0, rssMb: 0 });
{
  const check = timed(process.execPath, [candorBin, 'lint', '--format', 'json', corpus10]);
  const s = JSON.parse(check.stdout).summary;
  console.log(`candor checked ${s.filesChecked} files (the others have extensions it does not lint by default: .php .sql .xml …), ${s.findings} findings, ${s.threads ?? 1} thread(s)\n`);
}
rows.push(measure('ripgrep phrase scan (floor)', 'rg', ['-i', '-F', '-c', '-f', phrasesFile(), corpus10], FAST_RUNS, { anyExit: true }));
rows.push(measure('bare retext-english parse', process.execPath, [path.join(work, 'retext-parse.mjs'), corpus10], FAST_RUNS));
candorBlock();
rows.push(measure('write-good', process.execPath, [path.join(work, 'batch.mjs'), bin('write-good'), path.join(work, 'files10.txt')], quick ? 1 : Math.min(RUNS, 3), { anyExit: true, after: candorBlock }));
// Several runs of every tool, as the issue asks (only proselint may run once): single runs of
// alex varied from 21.7 to 26.5 s between benchmarks on this VM.
rows.push(measure('alex', process.execPath, [path.join(work, 'batch.mjs'), bin('alex'), path.join(work, 'files10.txt')], quick ? 1 : Math.min(RUNS, 3), { anyExit: true, slow: true, after: candorBlock }));
if (withProselint) rows.push(measure('proselint', process.execPath, [path.join(work, 'batch.mjs'), 'proselint', path.join(work, 'files10.txt')], 1, { anyExit: true }));

const candor = rows[0];
candor.wall = median(candorRuns.map((r) => r.wall));
// Peak RSS from runs that wait for the child Node a large run lints in (bin/candor.js): the CLI
// exits as soon as that child reports its result, and /usr/bin/time then never sees the child.
const rssRuns = Array.from({ length: 3 }, () => timed(process.execPath, candorArgs, { env: { ...benchEnv, CANDOR_WAIT_FOR_CHILD: '1' } }));
candor.rssMb = Math.max(...rssRuns.map((r) => r.rssMb));
candor.runs = `${candorRuns.length}, in ${candorBlocks} blocks`;
console.log('| tool | runs | wall (median) | MB/s | files/s | peak RSS | time vs candor |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.name} | ${r.runs} | ${r.wall.toFixed(3)} s | ${(mb / r.wall).toFixed(2)} | ${Math.round(stats.files / r.wall)} | ${r.rssMb.toFixed(0)} MB | ${(r.wall / candor.wall).toFixed(2)}× |`);
}
const ratio = (name) => rows.find((r) => r.name === name).wall / candor.wall;
const needs = (name, times) => `Candor would need ≤ ${(rows.find((r) => r.name === name).wall / times).toFixed(3)} s`;
target('CLI: faster than write-good', ratio('write-good'), 20, { atLeast: true, unit: '×', digits: 1, note: needs('write-good', 20) });
target('CLI: faster than alex', ratio('alex'), 60, { atLeast: true, unit: '×', digits: 1, note: needs('alex', 60) });
target('CLI: faster than the bare retext-english parse', ratio('bare retext-english parse'), 1, { atLeast: true, unit: '×' });
target('CLI: whole-process wall time, 3.6 MB corpus', candor.wall, 0.45, { unit: ' s', digits: 3 });
target('CLI: peak RSS', candor.rssMb, 150, { unit: ' MB', digits: 0 });
if (removed.length) {
  const asSet = measure('candor', process.execPath, [candorBin, 'lint', '--format', 'json', corpus10], FAST_RUNS, { env: machineEnv });
  console.log(`\nAll tools ran without ${removed.join(' and ')} (set on this machine; see bench/run.mjs). With it as set, candor takes ${asSet.wall.toFixed(3)} s.`);
}

// ---------- scaling ----------
// 31 rounds: the 1× → 2× step is ~0.05 s, and with 11 a drifting VM swung it by ±50% (~1 min in all).
const SCALING_RUNS = quick ? 3 : 31;
console.log(`\nScaling (candor, whole process, median of ${SCALING_RUNS}, sizes measured in turn):`);
console.log('| input | files | MB | wall | s per MB |');
console.log('|---|---|---|---|---|');
// The sizes are measured in turn (1×, 2×, 4×, 8×, 1×, …), not one after the other: the
// differences between them are small, and a shared VM drifts by more than that over a minute.
const sizes = [1, 2, 4, 8].map((times) => {
  const dir = copyCorpus(times);
  return { times, dir, stats: dirStats(dir), walls: [] };
});
for (const size of sizes) timed(process.execPath, [candorBin, 'lint', '--format', 'json', size.dir]); // warm-up
for (let i = 0; i < SCALING_RUNS; i++) {
  for (const size of sizes) size.walls.push(timed(process.execPath, [candorBin, 'lint', '--format', 'json', size.dir]).wall);
}
const points = [];
for (const { times, stats: s, walls } of sizes) {
  const wall = median(walls);
  points.push({ mb: s.bytes / 1e6, wall });
  console.log(`| ${times}× | ${s.files} | ${(s.bytes / 1e6).toFixed(2)} | ${wall.toFixed(3)} s | ${(wall / (s.bytes / 1e6)).toFixed(3)} |`);
}
// Process start-up is a fixed cost, so whole-run time per MB falls as input grows. Linearity is
// judged on the marginal cost: the extra seconds per extra MB between consecutive sizes. Each
// step is the median of its per-round differences (a paired comparison: the sizes of one round
// run within about a second, so a VM that drifts between rounds moves both sides of a
// difference alike), not the difference of two medians.
const marginal = sizes.slice(1).map((size, i) => {
  const before = sizes[i];
  const steps = size.walls.map((wall, round) => wall - before.walls[round]);
  return median(steps) / ((size.stats.bytes - before.stats.bytes) / 1e6);
});
const mean = marginal.reduce((a, b) => a + b, 0) / marginal.length;
const spread = Math.max(...marginal.map((m) => Math.abs(m / mean - 1)));
// Super-linear growth would show as the last step costing more per MB than the first.
const grows = marginal[marginal.length - 1] > marginal[0] * 1.25;
const trend = grows ? 'the 4×→8× step costs more per MB than the 1×→2× step' : 'the cost per MB does not grow with size';
target('Scaling 1× to 8×: marginal cost per MB, largest deviation from the mean', spread * 100, 25, { unit: '%', digits: 0, note: trend });
console.log(`marginal cost 1×→2×, 2×→4×, 4×→8× (median of each round's difference): ${marginal.map((m) => m.toFixed(3)).join(' / ')} s per MB (each within ${Math.round(spread * 100)}% of their mean${spread <= 0.25 ? '' : '; not within ±25%'}); ${trend}`);
}

async function editorBench() {
  const serverJs = path.join(root, 'server/dist/server.cjs');
  if (!existsSync(serverJs)) {
    console.log('\n(editor figures skipped: the language server is not built)');
    return;
  }
  console.log('\nEditor: didChange → publishDiagnostics over LSP stdio (debounce 0), incremental one-character edits');
  console.log('| document | edits | p50 | p95 | max |');
  console.log('|---|---|---|---|---|');
  const child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: benchEnv });
  const lsp = new LspClient(child);
  await lsp.request('initialize', { processId: process.pid, rootUri: null, capabilities: { textDocument: { publishDiagnostics: {} } }, initializationOptions: { settings: { debounce: 0 } } });
  lsp.notify('initialized', {});
  
  for (const [label, size, edits] of [['5 KB', 5_000, quick ? 50 : 200], ['100 KB', 100_000, quick ? 50 : 100], ['1 MB', 1_000_000, quick ? 10 : 50]]) {
    const uri = `file:///bench/doc-${size}.liquid`;
    let text = synthetic(size);
    let version = 1;
    const first = lsp.waitDiagnostics(uri, version);
    lsp.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'liquid', version, text } });
    await first;
    const times = [];
    for (let i = 0; i < edits; i++) {
      version++;
      const at = Math.floor((i * 7919) % Math.max(1, text.length - 1));
      const ch = i % 2 ? 'a' : 'e';
      const range = { start: positionAt(text, at), end: positionAt(text, at + 1) };
      text = text.slice(0, at) + ch + text.slice(at + 1);
      const t0 = process.hrtime.bigint();
      const done = lsp.waitDiagnostics(uri, version);
      lsp.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: ch }] });
      await done;
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const s = [...times].sort((a, b) => a - b);
    const p50 = s[Math.floor(s.length * 0.5)];
    const p95 = s[Math.floor(s.length * 0.95)];
    console.log(`| ${label} | ${edits} | ${p50.toFixed(1)} ms | ${p95.toFixed(1)} ms | ${s[s.length - 1].toFixed(1)} ms |`);
    if (size === 5_000) {
      target('Editor: re-lint of a 5 KB template, p50', p50, 5, { unit: ' ms', digits: 1 });
      target('Editor: re-lint of a 5 KB template, p95', p95, 15, { unit: ' ms', digits: 1 });
    } else if (size === 100_000) {
      target('Editor: re-lint of a 100 KB template, p50', p50, 50, { unit: ' ms', digits: 1 });
    } else if (size === 1_000_000) {
      // Not blocking other requests meanwhile is tested in server/test/lsp/protocol.test.ts.
      target('Editor: re-lint of a 1 MB template, p95', p95, 500, { unit: ' ms', digits: 0 });
    }
    lsp.notify('textDocument/didClose', { textDocument: { uri } });
  }
  // Memory after 1,000 edits of a 5 KB document.
  const uri = 'file:///bench/soak.liquid';
  let text = synthetic(5_000);
  lsp.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'liquid', version: 1, text } });
  for (let v = 2; v <= 1001; v++) {
    text = text.slice(0, 100) + String(v % 10) + text.slice(101);
    const done = lsp.waitDiagnostics(uri, v);
    lsp.notify('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text }] });
    await done;
  }
  const rss = Number((readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/) ?? [0, 0])[1]) / 1024;
  console.log(`server RSS after 1,000 edits: ${rss.toFixed(0)} MB`);
  await lsp.request('shutdown', null);
  lsp.notify('exit', null);
}

function positionAt(text, offset) {
  let line = 0;
  let last = -1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, character: offset - last - 1 };
}

class LspClient {
  constructor(child) {
    this.child = child;
    this.id = 0;
    this.pending = new Map();
    this.waiters = [];
    // Chunks are joined only once a whole message has arrived: the diagnostics of a 1 MB
    // document are a multi-megabyte message, and joining on every chunk would put a
    // quadratic copy into the measured time.
    let buf = Buffer.alloc(0);
    let pending = [];
    let pendingBytes = 0;
    let need = 0;
    child.stdout.on('data', (chunk) => {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes < need) return;
      buf = Buffer.concat([buf, ...pending]);
      pending = [];
      pendingBytes = 0;
      need = 0;
      for (;;) {
        const headerEnd = buf.indexOf('\r\n\r\n');
        if (headerEnd < 0) break;
        const len = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, headerEnd).toString())[1]);
        if (buf.length < headerEnd + 4 + len) {
          need = headerEnd + 4 + len - buf.length;
          break;
        }
        const msg = JSON.parse(buf.subarray(headerEnd + 4, headerEnd + 4 + len).toString());
        buf = buf.subarray(headerEnd + 4 + len);
        this.onMessage(msg);
      }
    });
  }
  onMessage(msg) {
    if (msg.id !== undefined && this.pending.has(msg.id) && msg.method === undefined) {
      this.pending.get(msg.id)(msg.result);
      this.pending.delete(msg.id);
    } else if (msg.method === 'textDocument/publishDiagnostics') {
      const { uri, version } = msg.params;
      this.waiters = this.waiters.filter((w) => {
        if (w.uri === uri && (version === undefined || version >= w.version)) {
          w.resolve();
          return false;
        }
        return true;
      });
    } else if (msg.id !== undefined && msg.method) {
      // Server → client requests (configuration, registration): answer with defaults.
      this.send({ jsonrpc: '2.0', id: msg.id, result: msg.method === 'workspace/configuration' ? (msg.params.items ?? []).map(() => ({ debounce: 0 })) : null });
    }
  }
  send(msg) {
    const body = JSON.stringify(msg);
    this.child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }
  request(method, params) {
    const id = ++this.id;
    this.send({ jsonrpc: '2.0', id, method, params });
    return new Promise((resolve) => this.pending.set(id, resolve));
  }
  notify(method, params) {
    this.send({ jsonrpc: '2.0', method, params });
  }
  waitDiagnostics(uri, version) {
    return new Promise((resolve) => this.waiters.push({ uri, version, resolve }));
  }
}

// ---------- editor figures ----------
if (only !== 'cli') await editorBench();

console.log(`\nTargets (issue #5): ${targets.filter((t) => t.met).length} of ${targets.length} met`);
console.log('| target | measured | required | verdict |');
console.log('|---|---|---|---|');
for (const t of targets) console.log(`| ${t.what} | ${t.measured} | ${t.required} | ${t.verdict} |`);
