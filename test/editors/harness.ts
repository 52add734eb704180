import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync, cpSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Shared plumbing for the real-editor tests: where the tools are, how to skip or fail when one
 * is missing, a workspace of fixture templates, and a private code-server instance (its own
 * config, user data, extensions, XDG and TMPDIR folders; started with setsid and stopped by
 * killing its process group so no file watcher is orphaned).
 */

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TOOLS = path.join(ROOT, '.tools');
export const CODE_SERVER = path.join(TOOLS, 'code-server.sh');
export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
export const SERVER = path.join(ROOT, 'server/dist/server.cjs');
export const CLIENT = path.join(ROOT, 'client');
export const RESULTS = path.join(ROOT, 'test-results');
export const CI = process.env.CI === 'true';

export function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * Missing tools: under CI=true a failure (the suite must prove the real editors work), else a
 * skip with a message saying how to install them.
 */
export function missingTools(tools: Record<string, boolean>): string | undefined {
  const missing = Object.entries(tools)
    .filter(([, ok]) => !ok)
    .map(([name]) => name);
  if (!missing.length) return undefined;
  const msg = `missing ${missing.join(', ')} — run "bash scripts/install-editors.sh" to install the real editors`;
  if (CI) throw new Error(`CI=true and ${msg}`);
  console.warn(`[skip] ${msg}`);
  return msg;
}

/** The fixture templates the editor tests open (the same kinds a support team keeps). */
export const FIXTURES: Record<string, string> = {
  'macros/refund.liquid': [
    'Hi {{ customer.first_name }},',
    '',
    'Per our policy, refunds are only possible within 30 days of delivery.',
    '',
    'Thanks,',
    '{{ shop.name }} Support',
    '',
  ].join('\n'),
  'macros/zendesk-macros.json': JSON.stringify(
    {
      macros: [
        {
          id: 360001,
          title: 'Refund window',
          actions: [{ field: 'comment_value', value: 'Hi {{ticket.requester.first_name}},\n\nPer our policy, refunds take 5 days.' }],
        },
      ],
    },
    null,
    2,
  ) + '\n',
  'macros/other.md': '# Delay\n\nPer our policy, we ship on Mondays.\n',
};

export function makeWorkspace(prefix: string, files: Record<string, string> = FIXTURES): string {
  const dir = mkdtempSync(path.join(tmpdir(), `candor-${prefix}-`));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** The .vsix, packaged with vsce (offline) unless it is newer than the build. */
export function ensureVsix(): string {
  const vsix = path.join(CLIENT, 'candor.vsix');
  const built = path.join(CLIENT, 'dist/extension.js');
  if (!existsSync(vsix) || !existsSync(built) || statSync(vsix).mtimeMs < statSync(built).mtimeMs) {
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '-o', vsix], {
      cwd: CLIENT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }
  return vsix;
}

export interface CodeServer {
  port: number;
  base: string;
  origin: string;
  proc: ChildProcess;
  log: () => string;
  stop: () => Promise<void>;
}

export async function startCodeServer(opts: { name: string; vsix?: string }): Promise<CodeServer> {
  const base = mkdtempSync(path.join(tmpdir(), `candor-cs-${opts.name}-`));
  const dirs = Object.fromEntries(['config', 'data', 'extensions', 'xdg-config', 'xdg-data', 'xdg-cache', 'tmp', 'home'].map((d) => [d, path.join(base, d)]));
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const port = await freePort();
  const config = path.join(dirs.config, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const env = {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs['xdg-config'],
    XDG_DATA_HOME: dirs['xdg-data'],
    XDG_CACHE_HOME: dirs['xdg-cache'],
    TMPDIR: dirs.tmp,
  };
  // Settings a test run wants: no welcome page, no trust prompt, no telemetry, no gallery.
  mkdirSync(path.join(dirs.data, 'User'), { recursive: true });
  writeFileSync(
    path.join(dirs.data, 'User/settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'workbench.tips.enabled': false,
      'editor.hover.delay': 300,
      'window.restoreWindows': 'none',
      'workbench.colorTheme': 'Default Light Modern',
      'chat.disableAIFeatures': true,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
    }),
  );
  const common = ['--config', config, '--user-data-dir', dirs.data, '--extensions-dir', dirs.extensions];
  if (opts.vsix) {
    execFileSync(CODE_SERVER, [...common, '--install-extension', opts.vsix, '--force'], { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  }
  let output = '';
  // detached: a new session and process group (what `setsid` does), so stop() can kill the
  // whole group — the wrapper, code-server, its extension hosts and file watchers.
  const proc = spawn(
    CODE_SERVER,
    [
      ...common,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--reconnection-grace-time',
      '5',
      '--vscode-option',
      'enable-smoke-test-driver',
      '--ignore-last-opened',
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  proc.stdout!.on('data', (d) => (output += String(d)));
  proc.stderr!.on('data', (d) => (output += String(d)));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const r = await fetch(`${origin}/healthz`);
      if (r.ok) break;
    } catch {
      // not up yet
    }
    if (proc.exitCode !== null) throw new Error(`code-server exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`code-server did not start in 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const stop = async () => {
    if (proc.pid && proc.exitCode === null) {
      try {
        process.kill(-proc.pid, 'SIGTERM');
      } catch {
        // gone
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          try {
            process.kill(-proc.pid!, 'SIGKILL');
          } catch {
            // gone
          }
          resolve();
        }, 5000);
        proc.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    rmSync(base, { recursive: true, force: true });
  };
  return { port, base, origin, proc, log: () => output, stop };
}

/** Chromium flags for a quiet headless run (Playwright gives each launch a fresh profile). */
export function chromiumArgs(): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ];
}

export function copyDir(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
}
