import * as path from 'node:path';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  CloseAction,
  ExecuteCommandRequest,
  LanguageClient,
  State,
  TransportKind,
  type DocumentSelector,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

/**
 * Candor for VS Code: a thin client. It starts the language server (bundled next to this file
 * as dist/server.cjs) over Node IPC, names the documents it serves, forwards `candor.*`
 * settings and `.candor.json` changes, and adds commands, a status-bar count and an output
 * channel. Everything else — linting, hovers, fixes, config — lives in the server, so Neovim
 * and other editors get the same behaviour.
 */

const LANGUAGES = ['plaintext', 'markdown', 'html', 'handlebars', 'liquid', 'jinja', 'jinja-html', 'django-html', 'django-txt', 'twig', 'nunjucks', 'erb', 'json', 'jsonc', 'yaml'];
const TEMPLATE_GLOB = '**/*.{txt,text,md,markdown,html,htm,liquid,hbs,handlebars,mustache,erb,ejs,j2,jinja,jinja2,njk,twig,tpl,json,yml,yaml}';

export const documentSelector: DocumentSelector = [
  ...LANGUAGES.flatMap((language) => [
    { scheme: 'file', language },
    { scheme: 'untitled', language },
  ]),
  { scheme: 'file', pattern: TEMPLATE_GLOB },
  { scheme: 'file', pattern: '**/.candor.json' },
];

export interface CandorApi {
  /** The running client (for the integration tests). */
  client(): LanguageClient | undefined;
  ready(): Promise<void>;
  /** The status bar item's text and tooltip (for the integration tests). */
  status(): { text: string; tooltip: string };
  /** How often the server was restarted after it stopped unexpectedly. */
  crashRestarts(): number;
}

let client: LanguageClient | undefined;
let starting: Promise<void> | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<CandorApi> {
  const output = vscode.window.createOutputChannel('Candor', { log: true });
  const status = vscode.window.createStatusBarItem('candor.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'Candor';
  status.command = 'workbench.actions.view.problems';
  context.subscriptions.push(output, status);

  const docsDir = context.asAbsolutePath(path.join('dist', 'rules', 'docs'));
  let crashRestarts = 0;
  let lastCrash: Date | undefined;

  const start = async () => {
    const serverModule = context.asAbsolutePath(path.join('dist', 'server.cjs'));
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc },
      debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    // vscode-languageclient's default handler: restart a server that dies, up to 4 times in 3
    // minutes. Wrapped so the output channel and the status bar say what happened.
    let fallback: ErrorHandler | undefined;
    const errorHandler: ErrorHandler = {
      error: (error, message, count) => fallback!.error(error, message, count),
      closed: async () => {
        const result = await fallback!.closed();
        if (result.action === CloseAction.Restart) {
          crashRestarts++;
          lastCrash = new Date();
          return { ...result, message: 'The Candor language server stopped unexpectedly; restarting it.' };
        }
        return { ...result, message: `${result.message ?? 'The Candor language server stopped.'} Run "Candor: Restart language server" to start it again.` };
      },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector,
      outputChannel: output,
      errorHandler,
      synchronize: {
        configurationSection: 'candor',
        fileEvents: vscode.workspace.createFileSystemWatcher('**/.candor.json'),
      },
      initializationOptions: {
        // In an untrusted workspace the server ignores .candor.json and workspace settings.
        trusted: vscode.workspace.isTrusted,
        docsDir: fs.existsSync(docsDir) ? docsDir : undefined,
      },
    };
    const created = new LanguageClient('candor', 'Candor', serverOptions, clientOptions);
    fallback = created.createDefaultErrorHandler(4);
    created.onDidChangeState(() => {
      if (client === created) updateStatus();
    });
    client = created;
    await created.start();
  };
  const ensureStarted = () => (starting ??= start().catch((err) => {
    output.appendLine(`Candor failed to start: ${err?.stack ?? err}`);
    starting = undefined;
    throw err;
  }));

  const restart = async () => {
    const old = client;
    client = undefined;
    starting = undefined;
    if (old && old.state !== State.Stopped) await old.stop().catch(() => undefined);
    await ensureStarted();
    updateStatus();
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('candor.lintWorkspace', async () => {
      await ensureStarted();
      const result = (await client!.sendRequest(ExecuteCommandRequest.type, { command: 'candor.server.lintWorkspace', arguments: [] })) as
        | { files: number; findings: number; filesWithFindings: number; cancelled: boolean }
        | undefined;
      if (result) {
        const msg = `Candor: ${result.findings} finding${result.findings === 1 ? '' : 's'} in ${result.filesWithFindings} of ${result.files} files${result.cancelled ? ' (cancelled)' : ''}.`;
        void vscode.window.showInformationMessage(msg);
      }
      return result;
    }),
    vscode.commands.registerCommand('candor.openRuleDocs', async (ruleId?: string) => {
      let id = typeof ruleId === 'string' ? ruleId : undefined;
      if (!id) {
        const ids = listRuleDocs(docsDir);
        id = await vscode.window.showQuickPick(ids, { placeHolder: 'Which rule?' });
      }
      if (!id) return;
      const file = path.join(docsDir, `${id}.md`);
      if (!fs.existsSync(file)) {
        void vscode.window.showWarningMessage(`Candor has no documentation for "${id}".`);
        return;
      }
      await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(file));
    }),
    vscode.commands.registerCommand('candor.restartServer', restart),
    vscode.commands.registerCommand('candor.showOutput', () => output.show(true)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void restart()),
  );

  // Status bar: the number of Candor findings in the active file.
  const updateStatus = () => {
    const doc = vscode.window.activeTextEditor?.document;
    const state = client?.state;
    if (state === State.Starting || (state === State.Stopped && client)) {
      // A server that is (re)starting or stopped says so, whatever file is active.
      status.text = state === State.Starting ? '$(sync~spin) Candor: starting' : '$(error) Candor: stopped';
      status.tooltip = state === State.Starting ? 'The Candor language server is starting.' : 'The Candor language server stopped. Click to restart it; see "Candor: Show output" for why.';
      status.command = state === State.Starting ? 'candor.showOutput' : 'candor.restartServer';
      status.show();
      return;
    }
    status.command = 'workbench.actions.view.problems';
    if (!doc || vscode.languages.match(documentSelector as vscode.DocumentSelector, doc) === 0) {
      status.hide();
      return;
    }
    const n = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'candor').length;
    status.text = n ? `$(comment-discussion) Candor: ${n}` : '$(check) Candor';
    status.tooltip =
      `${n || 'No'} Candor finding${n === 1 ? '' : 's'} in this file${vscode.workspace.isTrusted ? '' : ' (untrusted workspace: default rules only)'}` +
      (lastCrash ? `\nThe language server stopped unexpectedly and was restarted (${crashRestarts}×, last at ${lastCrash.toLocaleTimeString()}).` : '');
    status.show();
  };
  context.subscriptions.push(
    vscode.languages.onDidChangeDiagnostics(updateStatus),
    vscode.window.onDidChangeActiveTextEditor(updateStatus),
  );
  updateStatus();

  await ensureStarted();
  return {
    client: () => client,
    ready: () => ensureStarted(),
    status: () => ({ text: status.text, tooltip: typeof status.tooltip === 'string' ? status.tooltip : (status.tooltip?.value ?? '') }),
    crashRestarts: () => crashRestarts,
  };
}

export async function deactivate(): Promise<void> {
  if (client && client.state !== State.Stopped) await client.stop();
}

function listRuleDocs(dir: string): string[] {
  const out: string[] = [];
  if (!fs.existsSync(dir)) return out;
  for (const category of fs.readdirSync(dir)) {
    const sub = path.join(dir, category);
    if (!fs.statSync(sub).isDirectory()) continue;
    for (const f of fs.readdirSync(sub)) if (f.endsWith('.md')) out.push(`${category}/${f.slice(0, -3)}`);
  }
  return out.sort();
}
