import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type InitializeParams,
  type InitializeResult,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { parseConfig, type ParsedConfig } from '../config/parse.js';
import { codeActions, FIX_ALL_KIND, type ConfigTarget } from './code-actions.js';
import { configIssueToDiagnostic } from './diagnostics.js';
import { setDocsDir } from './docs.js';
import { hover } from './hover.js';
import { DocumentLinter, WORKER_THRESHOLD, type LintOutcome } from './linting.js';
import {
  CONFIG_FILE_NAME,
  DEFAULT_SETTINGS,
  DocumentSettingsCache,
  isConfigFile,
  normalizeSettings,
  type ClientSettings,
  type DocumentSettings,
} from './settings.js';
import { CancelledError, LintWorkerPool } from './worker.js';
import { lintWorkspace } from './workspace-lint.js';

declare const CANDOR_VERSION: string;
const VERSION = typeof CANDOR_VERSION === 'string' ? CANDOR_VERSION : '0.0.0-dev';

/** Commands the server executes (the VS Code client wraps them in its own `candor.*` commands). */
export const COMMANDS = { lintWorkspace: 'candor.server.lintWorkspace' } as const;

/** What the client may pass in `initializationOptions`. */
export interface InitializationOptions {
  /** false in an untrusted workspace: no .candor.json and no workspace settings are read. */
  trusted?: boolean;
  /** Settings for clients without workspace/configuration (e.g. Neovim's `init_options`). */
  settings?: Partial<ClientSettings>;
  /** Where the rule docs are installed (defaults to the copy next to the bundle). */
  docsDir?: string;
}

interface Capabilities {
  configuration: boolean;
  pullDiagnostics: boolean;
  watchedFilesDynamic: boolean;
  documentChanges: boolean;
  createFiles: boolean;
  workDoneProgress: boolean;
  workspaceFolders: boolean;
}

export function startServer(connection: Connection, workerEntry: string): void {
  const documents = new TextDocuments(TextDocument);
  const log = (msg: string) => connection.console.log(msg);
  let caps: Capabilities = {
    configuration: false,
    pullDiagnostics: false,
    watchedFilesDynamic: false,
    documentChanges: false,
    createFiles: false,
    workDoneProgress: false,
    workspaceFolders: false,
  };
  let trusted = true;
  let folders: string[] = [];
  let globalSettings: ClientSettings = DEFAULT_SETTINGS;

  const filePath = (uri: string): string | undefined => {
    if (!uri.startsWith('file:')) return undefined;
    try {
      return URI.parse(uri).fsPath;
    } catch {
      return undefined;
    }
  };
  /** Open documents by file path (config buffers are read from memory, unsaved edits included). */
  const openByPath = new Map<string, string>();
  const folderOf = (file: string): string | undefined =>
    folders.filter((f) => file === f || file.startsWith(f.endsWith(path.sep) ? f : f + path.sep)).sort((a, b) => b.length - a.length)[0];

  const settingsCache = new DocumentSettingsCache({
    clientSettings: async (uri) => {
      if (!caps.configuration) return globalSettings;
      try {
        const raw = await connection.workspace.getConfiguration({ scopeUri: uri, section: 'candor' });
        return normalizeSettings(raw ?? globalSettings);
      } catch (err) {
        log(`Reading the candor settings failed: ${(err as Error).message}`);
        return globalSettings;
      }
    },
    openText: (file) => {
      const uri = openByPath.get(file);
      return uri ? documents.get(uri)?.getText() : undefined;
    },
    folderOf,
    trusted: () => trusted,
  });

  const debounceOf = new Map<string, number>();
  const settingsFor = async (doc: TextDocument): Promise<DocumentSettings> => {
    const fresh = !debounceOf.has(doc.uri);
    const s = await settingsCache.get(doc.uri, filePath(doc.uri));
    debounceOf.set(doc.uri, s.debounce);
    if (fresh) publishConfigDiagnostics();
    if (!s.enabled && fresh) log(`Not linting ${doc.uri}: ${s.reason}`);
    return s;
  };

  const pool = new LintWorkerPool(workerEntry, log);
  const openConfigs = (): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [file, uri] of openByPath) if (isConfigFile(file)) out[file] = documents.get(uri)?.getText() ?? '';
    return out;
  };
  const linter = new DocumentLinter(
    {
      settings: settingsFor,
      generation: () => settingsCache.generation,
      filePath,
      workerJobExtras: () => ({ trusted, openConfigs: openConfigs() }),
      log,
    },
    pool,
  );

  // ---------------------------------------------------------------- initialize
  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const c = params.capabilities;
    caps = {
      configuration: c.workspace?.configuration === true,
      pullDiagnostics: c.textDocument?.diagnostic !== undefined,
      watchedFilesDynamic: c.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
      documentChanges: c.workspace?.workspaceEdit?.documentChanges === true,
      createFiles: c.workspace?.workspaceEdit?.resourceOperations?.includes('create') === true,
      workDoneProgress: c.window?.workDoneProgress === true,
      workspaceFolders: c.workspace?.workspaceFolders === true,
    };
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    trusted = init.trusted !== false;
    if (init.settings) globalSettings = normalizeSettings(init.settings);
    setDocsDir(init.docsDir);
    folders = (params.workspaceFolders ?? []).map((f) => filePath(f.uri)).filter((f): f is string => Boolean(f));
    if (!folders.length && params.rootUri) folders = [filePath(params.rootUri)].filter((f): f is string => Boolean(f));
    if (!folders.length && params.rootPath) folders = [params.rootPath];
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        executeCommandProvider: { commands: [COMMANDS.lintWorkspace] },
        ...(caps.pullDiagnostics ? { diagnosticProvider: { identifier: 'candor', interFileDependencies: false, workspaceDiagnostics: false } } : {}),
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'candor-language-server', version: VERSION },
    };
  });

  connection.onInitialized(() => {
    if (caps.watchedFilesDynamic) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: `**/${CONFIG_FILE_NAME}` }] });
    }
    if (caps.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const removed = new Set(e.removed.map((f) => filePath(f.uri)));
        folders = folders.filter((f) => !removed.has(f));
        for (const f of e.added) {
          const p = filePath(f.uri);
          if (p && !folders.includes(p)) folders.push(p);
        }
        invalidateAll('workspace folders changed');
      });
    }
    log(`Candor language server ${VERSION} started (${caps.pullDiagnostics ? 'pull' : 'push'} diagnostics${trusted ? '' : ', untrusted workspace: defaults only'}).`);
  });

  // ---------------------------------------------------------------- configuration
  let invalidateTimer: NodeJS.Timeout | undefined;
  function invalidateAll(why: string): void {
    clearTimeout(invalidateTimer);
    invalidateTimer = undefined;
    log(`Reloading configuration: ${why}.`);
    settingsCache.invalidate();
    linter.clear();
    debounceOf.clear();
    publishConfigDiagnostics();
    if (caps.pullDiagnostics) {
      void connection.languages.diagnostics.refresh().catch(() => undefined);
    } else {
      for (const doc of documents.all()) schedule(doc, 0);
    }
  }

  connection.onDidChangeConfiguration((params) => {
    const s = (params.settings as { candor?: unknown } | null)?.candor;
    if (s !== undefined) globalSettings = normalizeSettings(s);
    invalidateAll('settings changed');
  });

  connection.onDidChangeWatchedFiles((params) => {
    if (params.changes.some((c) => c.uri.endsWith('/' + CONFIG_FILE_NAME))) invalidateAll(`${CONFIG_FILE_NAME} changed on disk`);
  });

  /** Config files with problems get diagnostics of their own (the server runs on defaults). */
  const configPublished = new Map<string, string>();
  function publishConfigDiagnostics(): void {
    const parsed = new Map<string, ParsedConfig>();
    for (const c of settingsCache.loadedConfigs()) parsed.set(c.path, c.parsed);
    for (const [file, uri] of openByPath) {
      if (isConfigFile(file)) parsed.set(file, parseConfig(documents.get(uri)?.getText() ?? ''));
    }
    const seen = new Set<string>();
    for (const [file, p] of parsed) {
      const uri = openByPath.get(file) ?? URI.file(file).toString();
      seen.add(uri);
      // Pulled by the client itself when open in a pull-diagnostics editor.
      if (caps.pullDiagnostics && documents.get(uri)) continue;
      const diagnostics = p.issues.map((i) => configIssueToDiagnostic(i, p.invalid));
      const key = JSON.stringify(diagnostics);
      if ((configPublished.get(uri) ?? '[]') === key) continue;
      configPublished.set(uri, key);
      void connection.sendDiagnostics({ uri, diagnostics });
    }
    for (const [uri, key] of configPublished) {
      if (!seen.has(uri) && key !== '[]') {
        configPublished.set(uri, '[]');
        void connection.sendDiagnostics({ uri, diagnostics: [] });
      }
    }
  }

  function configDiagnostics(doc: TextDocument): Diagnostic[] {
    const p = parseConfig(doc.getText());
    return p.issues.map((i) => configIssueToDiagnostic(i, p.invalid));
  }

  // ---------------------------------------------------------------- documents & diagnostics
  const timers = new Map<string, NodeJS.Timeout>();
  const lastChange = new Map<string, number>();
  const workspacePublished = new Set<string>();

  const debounceFor = (doc: TextDocument): number => {
    const d = debounceOf.get(doc.uri) ?? globalSettings.debounce;
    // Large documents wait at least 300 ms after the last keystroke — unless the user (or a
    // benchmark) explicitly asked for no debounce at all.
    return d > 0 && doc.getText().length > WORKER_THRESHOLD ? Math.max(d, 300) : d;
  };

  function schedule(doc: TextDocument, delay = debounceFor(doc)): void {
    clearTimeout(timers.get(doc.uri));
    if (delay <= 0) {
      timers.delete(doc.uri);
      setImmediate(() => void validate(doc.uri));
      return;
    }
    timers.set(
      doc.uri,
      setTimeout(() => {
        timers.delete(doc.uri);
        void validate(doc.uri);
      }, delay),
    );
  }

  async function validate(uri: string): Promise<void> {
    const doc = documents.get(uri);
    if (!doc) return;
    if (isConfigFile(filePath(uri) ?? '')) {
      publishConfigDiagnostics();
      return;
    }
    try {
      const outcome = await linter.lint(doc);
      const current = documents.get(uri);
      // A newer version arrived meanwhile (or the document was closed and reopened): its own lint will publish.
      if (current !== doc || current.version !== outcome.version || outcome.generation !== settingsCache.generation) return;
      void connection.sendDiagnostics({ uri, version: outcome.version, diagnostics: outcome.diagnostics });
    } catch (err) {
      if (!(err instanceof CancelledError)) log(`Linting ${uri} failed: ${(err as Error)?.stack ?? err}`);
    }
  }

  documents.onDidOpen((e) => {
    const file = filePath(e.document.uri);
    if (file) openByPath.set(file, e.document.uri);
    if (caps.pullDiagnostics) {
      // Diagnostics pushed while the file was closed (workspace lint, an invalid config) are
      // replaced by pulled ones now that it is open.
      const pushed = workspacePublished.delete(e.document.uri) || (configPublished.get(e.document.uri) ?? '[]') !== '[]';
      configPublished.delete(e.document.uri);
      if (pushed) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    }
  });

  documents.onDidChangeContent((e) => {
    const doc = e.document;
    const file = filePath(doc.uri);
    if (file && isConfigFile(file)) {
      // An edited (even unsaved) .candor.json applies at once, after a short pause.
      clearTimeout(invalidateTimer);
      invalidateTimer = setTimeout(() => invalidateAll(`${path.basename(path.dirname(file))}/${CONFIG_FILE_NAME} edited`), 250);
      if (!caps.pullDiagnostics) schedule(doc, 0);
      return;
    }
    const first = !lastChange.has(doc.uri);
    lastChange.set(doc.uri, Date.now());
    if (!caps.pullDiagnostics) schedule(doc, first ? 0 : undefined);
  });

  documents.onDidClose((e) => {
    const uri = e.document.uri;
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    lastChange.delete(uri);
    debounceOf.delete(uri);
    linter.forget(uri);
    settingsCache.forget(uri);
    const file = filePath(uri);
    if (file) openByPath.delete(file);
    if (file && isConfigFile(file)) {
      configPublished.delete(uri);
      invalidateAll(`${CONFIG_FILE_NAME} closed`);
    }
    if (!caps.pullDiagnostics) void connection.sendDiagnostics({ uri, diagnostics: [] });
  });

  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  const cancelled = () => new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
  const serverCancelled = () => new ResponseError(LSPErrorCodes.ServerCancelled, 'the document changed', { retriggerRequest: true });

  connection.languages.diagnostics.on(async (params, token): Promise<DocumentDiagnosticReport> => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    if (isConfigFile(filePath(doc.uri) ?? '')) return { kind: DocumentDiagnosticReportKind.Full, items: configDiagnostics(doc) };
    // Debounce: the client pulls after every keystroke and cancels the previous pull.
    const wait = (lastChange.get(doc.uri) ?? 0) + debounceFor(doc) - Date.now();
    if (wait > 0 && doc.version > 1) await sleep(wait);
    if (token.isCancellationRequested) throw cancelled();
    let outcome: LintOutcome;
    try {
      outcome = await linter.lint(doc);
    } catch (err) {
      if (err instanceof CancelledError) throw serverCancelled();
      throw err;
    }
    if (token.isCancellationRequested) throw cancelled();
    const resultId = `${outcome.generation}:${outcome.version}`;
    if (params.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items: outcome.diagnostics };
  });

  async function outcomeFor(uri: string, token: CancellationToken): Promise<{ doc: TextDocument; outcome: LintOutcome } | undefined> {
    const doc = documents.get(uri);
    if (!doc || isConfigFile(filePath(uri) ?? '')) return undefined;
    try {
      const outcome = linter.cached(doc) ?? (await linter.lint(doc));
      if (token.isCancellationRequested) return undefined;
      return { doc, outcome };
    } catch (err) {
      if (!(err instanceof CancelledError)) log(`Linting ${uri} failed: ${(err as Error)?.stack ?? err}`);
      return undefined;
    }
  }

  // ---------------------------------------------------------------- hover & code actions
  connection.onHover(async (params, token) => {
    const r = await outcomeFor(params.textDocument.uri, token);
    return r ? hover(r.outcome, params.position) : null;
  });

  connection.onCodeAction(async (params, token) => {
    const r = await outcomeFor(params.textDocument.uri, token);
    if (!r || r.outcome.skipped || !r.outcome.format) return [];
    const file = filePath(r.doc.uri);
    const format = r.outcome.format;
    return codeActions({
      params,
      outcome: r.outcome,
      format,
      file,
      languageId: r.doc.languageId,
      config: file && trusted ? configTarget(file, r.outcome) : undefined,
      caps: { documentChanges: caps.documentChanges, createFiles: caps.createFiles },
    });
  });

  /** The .candor.json an "allow"/"turn off" action edits: the nearest one, or a new one in the folder. */
  function configTarget(file: string, outcome: LintOutcome): ConfigTarget | undefined {
    const nearest = outcome.settings.configs[outcome.settings.configs.length - 1];
    const target = nearest?.path ?? path.join(folderOf(file) ?? path.dirname(file), CONFIG_FILE_NAME);
    const openUri = openByPath.get(target);
    const open = openUri ? documents.get(openUri) : undefined;
    let text = open?.getText();
    if (text === undefined && nearest) {
      try {
        text = readFileSync(target, 'utf8');
      } catch {
        return undefined;
      }
    }
    return { uri: openUri ?? URI.file(target).toString(), text, version: open?.version };
  }

  // ---------------------------------------------------------------- commands
  connection.onExecuteCommand(async (params, token, reporter) => {
    if (params.command !== COMMANDS.lintWorkspace) throw new ResponseError(LSPErrorCodes.RequestFailed, `Unknown command ${params.command}`);
    let progress: WorkDoneProgressReporter = reporter;
    if (!params.workDoneToken && caps.workDoneProgress) progress = await connection.window.createWorkDoneProgress();
    const result = await lintWorkspace(
      {
        folders: () => folders,
        isOpen: (uri) => documents.get(uri) !== undefined,
        clientSettings: async (uri) => (caps.configuration ? normalizeSettings(await connection.workspace.getConfiguration({ scopeUri: uri, section: 'candor' })) : globalSettings),
        trusted: () => trusted,
        publish: (uri, diagnostics) => {
          workspacePublished.add(uri);
          void connection.sendDiagnostics({ uri, diagnostics });
        },
        generation: () => settingsCache.generation,
        openConfigs,
        log,
      },
      settingsCache,
      pool,
      progress,
      token,
      workspacePublished,
    );
    log(`Workspace lint: ${result.files} files, ${result.findings} findings in ${result.filesWithFindings} files, ${result.durationMs} ms${result.cancelled ? ' (cancelled)' : ''}.`);
    return result;
  });

  connection.onShutdown(() => pool.dispose());

  // Debug only (CANDOR_DEBUG=1; the soak test): force a GC (when node runs with --expose-gc)
  // and report process.memoryUsage(). Not registered otherwise.
  if (process.env.CANDOR_DEBUG === '1') {
    connection.onRequest('candor/debugMemory', () => {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      return { gc: typeof gc === 'function', ...process.memoryUsage() };
    });
  }

  documents.listen(connection);
  connection.listen();
}
