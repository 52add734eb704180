import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

/**
 * A minimal LSP client for the protocol tests: it spawns the BUILT server
 * (server/dist/server.cjs --stdio) and speaks JSON-RPC to it as an editor would.
 */

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SERVER = path.join(ROOT, 'server/dist/server.cjs');

export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}
export interface Diagnostic {
  range: Range;
  severity?: number;
  code?: string | number;
  codeDescription?: { href: string };
  source?: string;
  message: string;
  data?: { ruleId: string; suggestions: Array<{ title: string; range: Range; newText: string }> };
}
export interface TextEdit {
  range: Range;
  newText: string;
}
export interface CodeAction {
  title: string;
  kind?: string;
  isPreferred?: boolean;
  diagnostics?: Diagnostic[];
  edit?: {
    changes?: Record<string, TextEdit[]>;
    documentChanges?: Array<{ textDocument?: { uri: string; version: number | null }; edits?: TextEdit[]; kind?: string; uri?: string }>;
  };
}

export interface ClientOptions {
  pull?: boolean;
  settings?: Record<string, unknown>;
  initializationOptions?: Record<string, unknown>;
  rootDir?: string;
  /** More workspace folders (multi-root). */
  extraFolders?: string[];
  /** Settings per scope URI (multi-root); `settings` otherwise. */
  scopedSettings?: (scopeUri: string | undefined) => Record<string, unknown> | undefined;
  /** Answer workspace/configuration requests. */
  configuration?: boolean;
  /** Extra node flags before the server script (e.g. --expose-gc, --require hook). */
  nodeArgs?: string[];
  /** Extra environment variables for the server process. */
  env?: Record<string, string>;
}

export class TestClient {
  readonly proc: ChildProcess;
  readonly conn: MessageConnection;
  readonly published = new Map<string, { version?: number; diagnostics: Diagnostic[] }>();
  /** Every publishDiagnostics notification, in order. */
  readonly publishLog: Array<{ uri: string; version?: number; count: number; at: number }> = [];
  readonly logs: string[] = [];
  readonly progress: unknown[] = [];
  private waiters: Array<() => void> = [];
  private versions = new Map<string, number>();
  settings: Record<string, unknown>;
  refreshes = 0;

  constructor(private readonly options: ClientOptions = {}) {
    if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run "npm run build" first.`);
    this.settings = options.settings ?? {};
    this.proc = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVER, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: options.env ? { ...process.env, ...options.env } : process.env,
    });
    this.proc.stderr!.on('data', (d) => this.logs.push(String(d)));
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
      this.published.set(p.uri, { version: p.version, diagnostics: p.diagnostics });
      this.publishLog.push({ uri: p.uri, version: p.version, count: p.diagnostics.length, at: performance.now() });
      this.wake();
    });
    this.conn.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.conn.onRequest('workspace/configuration', (p: { items: Array<{ section?: string; scopeUri?: string }> }) =>
      p.items.map((item) => this.options.scopedSettings?.(item.scopeUri) ?? this.settings),
    );
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshes++;
      this.wake();
      return null;
    });
    this.conn.onNotification('$/progress', (p) => {
      this.progress.push(p);
    });
    this.conn.listen();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  async initialize(): Promise<{ capabilities: Record<string, unknown> }> {
    const root = this.options.rootDir;
    const result = await this.conn.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: root ? uri(root) : null,
      workspaceFolders: root ? [root, ...(this.options.extraFolders ?? [])].map((f) => ({ uri: uri(f), name: path.basename(f) })) : null,
      initializationOptions: this.options.initializationOptions,
      capabilities: {
        workspace: {
          configuration: this.options.configuration !== false,
          workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceFolders: true,
          diagnostics: { refreshSupport: true },
        },
        textDocument: {
          synchronization: { dynamicRegistration: false },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } }, isPreferredSupport: true },
          publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          ...(this.options.pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
        },
        window: { workDoneProgress: true },
      },
    });
    await this.conn.sendNotification('initialized', {});
    return result;
  }

  open(file: string, text: string, languageId = 'plaintext'): string {
    const u = uri(file);
    this.versions.set(u, 1);
    this.published.delete(u);
    void this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId, version: 1, text } });
    return u;
  }

  /** An incremental change. */
  change(u: string, changes: Array<{ range?: Range; text: string }>): number {
    const version = (this.versions.get(u) ?? 1) + 1;
    this.versions.set(u, version);
    void this.conn.sendNotification('textDocument/didChange', { textDocument: { uri: u, version }, contentChanges: changes });
    return version;
  }

  close(u: string): void {
    void this.conn.sendNotification('textDocument/didClose', { textDocument: { uri: u } });
  }

  /** Wait for published diagnostics of `u` (optionally of a given version) matching `pred`. */
  async diagnostics(u: string, opts: { version?: number; timeout?: number; pred?: (d: Diagnostic[]) => boolean } = {}): Promise<Diagnostic[]> {
    const deadline = Date.now() + (opts.timeout ?? 10_000);
    for (;;) {
      const p = this.published.get(u);
      if (p && (opts.version === undefined || p.version === opts.version) && (!opts.pred || opts.pred(p.diagnostics))) return p.diagnostics;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching diagnostics for ${u} (last: ${JSON.stringify(p)?.slice(0, 500)})`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.conn.sendRequest<T>(method, params);
  }

  codeActions(u: string, range: Range, diagnostics: Diagnostic[] = [], only?: string[]): Promise<CodeAction[]> {
    return this.request('textDocument/codeAction', { textDocument: { uri: u }, range, context: { diagnostics, ...(only ? { only } : {}) } });
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      void this.conn.sendNotification('exit');
    } catch {
      // already gone
    }
    this.conn.dispose();
    await new Promise<void>((resolve) => {
      if (this.proc.exitCode !== null) return resolve();
      const t = setTimeout(() => {
        this.proc.kill('SIGKILL');
        resolve();
      }, 2000);
      this.proc.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}

export function uri(file: string): string {
  return pathToFileURL(file).toString();
}

/** Apply LSP text edits to a text (edits must not overlap). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const offsets = lineOffsets(text);
  const at = (p: Position) => Math.min(offsets[p.line] ?? text.length, text.length) + p.character;
  const sorted = [...edits].sort((a, b) => at(b.range.start) - at(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, at(e.range.start)) + e.newText + out.slice(at(e.range.end));
  return out;
}

function lineOffsets(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\r' && text[i + 1] === '\n') i++;
    if (text[i] === '\n' || text[i] === '\r') out.push(i + 1);
  }
  return out;
}

/** The edits of `u` in a workspace edit. */
export function editsFor(action: CodeAction, u: string): TextEdit[] {
  const e = action.edit ?? {};
  if (e.changes?.[u]) return e.changes[u];
  return (e.documentChanges ?? []).filter((d) => d.textDocument?.uri === u).flatMap((d) => d.edits ?? []);
}

/** The text a range covers. */
export function textAt(text: string, r: Range): string {
  const offsets = lineOffsets(text);
  return text.slice(offsets[r.start.line] + r.start.character, offsets[r.end.line] + r.end.character);
}

export function tempWorkspace(files: Record<string, string>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'candor-lsp-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
