import path from 'node:path';
import picomatch from 'picomatch';
import { ConfigResolver, type FileSettings, type LoadedConfig } from '../config/resolve.js';
import type { CandorConfig } from '../config/parse.js';
import { defaultRuleSet } from '../engine/lint.js';
import type { CompiledRuleSet } from '../engine/ruleset.js';
import type { FormatId, SeveritySetting } from '../engine/types.js';

/**
 * Settings, resolved once per document and cached until something they depend on changes
 * (the client's `candor.*` settings, a `.candor.json`, the workspace folders): a keystroke
 * never re-reads configuration.
 *
 * The client's settings are the bottom layer; every `.candor.json` from the file's folder up
 * overrides them (the same cascade the CLI uses, so editor and CI agree). In an untrusted
 * workspace neither is read: Candor runs on its defaults.
 */

/** What the client sends under `candor.*` (all optional; the server fills in defaults). */
export interface ClientSettings {
  enable: boolean;
  /** Severity per rule id or category, under every .candor.json. */
  rules: Record<string, SeveritySetting | 'warn'>;
  /** Phrases never reported, under every .candor.json. */
  allow: string[];
  /** Globs (relative to the workspace folder) of files the editor never lints. */
  exclude: string[];
  /** Milliseconds to wait after a keystroke before linting. */
  debounce: number;
  /** Files over this many bytes get one information diagnostic instead of a lint. */
  maxFileSize?: number;
}

export const DEFAULT_SETTINGS: ClientSettings = { enable: true, rules: {}, allow: [], exclude: [], debounce: 100 };

/** Files that are never templates even though their extension is. */
const NEVER_TEMPLATES = new Set(['package.json', 'package-lock.json', 'tsconfig.json', 'jsconfig.json', 'candor-baseline.json', 'composer.json', 'launch.json', 'settings.json', 'tasks.json']);

export const CONFIG_FILE_NAME = '.candor.json';

export function isConfigFile(file: string): boolean {
  return path.basename(file) === CONFIG_FILE_NAME;
}

export function normalizeSettings(raw: unknown): ClientSettings {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof ClientSettings, unknown>>;
  const severities = ['off', 'info', 'warning', 'warn', 'error'];
  const obj = (v: unknown) =>
    Object.fromEntries(
      Object.entries(v && typeof v === 'object' && !Array.isArray(v) ? v : {}).filter(([, sev]) => severities.includes(sev as string)),
    ) as Record<string, SeveritySetting>;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length > 0) : []);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
  return {
    enable: s.enable !== false,
    rules: obj(s.rules),
    allow: strings(s.allow),
    exclude: strings(s.exclude),
    debounce: Math.min(num(s.debounce) ?? DEFAULT_SETTINGS.debounce, 5000),
    maxFileSize: num(s.maxFileSize),
  };
}

/** Everything the server needs to lint one document. */
export interface DocumentSettings {
  /** False: the document gets no lint at all (and `reason` says why, for the log). */
  enabled: boolean;
  reason?: string;
  ruleSet: CompiledRuleSet;
  format?: FormatId;
  maxFileSize: number;
  debounce: number;
  /** The config files that apply, nearest last. */
  configs: LoadedConfig[];
  /** The client settings this was resolved with (the worker thread needs them). */
  client: ClientSettings;
}

export interface SettingsSource {
  /** The client's settings for a document (workspace/configuration, or defaults). */
  clientSettings(uri: string): Promise<ClientSettings>;
  /** The text of an open document, so unsaved .candor.json edits apply at once. */
  openText(file: string): string | undefined;
  /** The workspace folder (file path) holding a file, if any. */
  folderOf(file: string): string | undefined;
  trusted(): boolean;
}

export class DocumentSettingsCache {
  private readonly perDocument = new Map<string, Promise<DocumentSettings>>();
  /** One resolver per distinct client settings (multi-root folders may differ). */
  private readonly resolvers = new Map<string, ConfigResolver>();
  /** Bumped on every invalidation; part of diagnostic result ids and worker cache keys. */
  generation = 0;

  constructor(private readonly source: SettingsSource) {}

  get(uri: string, file: string | undefined): Promise<DocumentSettings> {
    let hit = this.perDocument.get(uri);
    if (!hit) {
      hit = this.resolve(uri, file).catch((err) => {
        this.perDocument.delete(uri);
        throw err;
      });
      this.perDocument.set(uri, hit);
    }
    return hit;
  }

  /** A document closed: its entry goes (the resolver keeps its per-folder cache). */
  forget(uri: string): void {
    this.perDocument.delete(uri);
  }

  /** A config or the client settings changed: drop everything. */
  invalidate(): void {
    this.perDocument.clear();
    for (const r of this.resolvers.values()) r.clear();
    this.resolvers.clear();
    this.generation++;
  }

  /** Every config file read so far (to report invalid ones). */
  loadedConfigs(): LoadedConfig[] {
    const out = new Map<string, LoadedConfig>();
    for (const r of this.resolvers.values()) for (const c of r.loadedConfigs()) out.set(c.path, c);
    return [...out.values()];
  }

  resolverFor(client: ClientSettings): ConfigResolver {
    // Untrusted: no client settings, and no .candor.json is read (from disk or an open buffer):
    // every folder answers as an empty root config. The workspace lint discovers and lints
    // files through this resolver, so it must not see the workspace's config either.
    const trusted = this.source.trusted();
    const base = baseConfig(trusted ? client : DEFAULT_SETTINGS);
    const key = (trusted ? '' : 'untrusted ') + JSON.stringify(base);
    let resolver = this.resolvers.get(key);
    if (!resolver) {
      resolver = new ConfigResolver({ base, readFile: trusted ? (f) => this.source.openText(f) : () => '{ "root": true }' });
      this.resolvers.set(key, resolver);
    }
    return resolver;
  }

  private async resolve(uri: string, file: string | undefined): Promise<DocumentSettings> {
    const trusted = this.source.trusted();
    const client = trusted ? await this.source.clientSettings(uri) : DEFAULT_SETTINGS;
    const common = { debounce: client.debounce, client };
    if (!client.enable) return { ...common, enabled: false, reason: 'candor.enable is false', ruleSet: defaultRuleSet(), maxFileSize: Infinity, configs: [] };
    if (!file || !trusted) {
      // Untitled buffers, virtual documents and untrusted workspaces: built-in defaults.
      return { ...common, enabled: true, ruleSet: defaultRuleSet(), maxFileSize: client.maxFileSize ?? 2_000_000, configs: [] };
    }
    if (NEVER_TEMPLATES.has(path.basename(file))) {
      return { ...common, enabled: false, reason: 'not a template', ruleSet: defaultRuleSet(), maxFileSize: Infinity, configs: [] };
    }
    const settings: FileSettings = this.resolverFor(client).settingsFor(file);
    let enabled = true;
    let reason: string | undefined;
    if (settings.ignored) [enabled, reason] = [false, 'ignored by .candor.json'];
    // A team that scoped Candor with "files" does not want squiggles in other files.
    else if (!settings.included && settings.configs.some((c) => !c.parsed.invalid && c.parsed.config.files?.length)) {
      [enabled, reason] = [false, 'not matched by "files" in .candor.json'];
    } else if (client.exclude.length) {
      const folder = this.source.folderOf(file);
      const rel = folder ? path.relative(folder, file).split(path.sep).join('/') : path.basename(file);
      if (picomatch(client.exclude, { dot: true, matchBase: !client.exclude.some((g) => g.includes('/')) })(rel)) {
        [enabled, reason] = [false, 'excluded by candor.exclude'];
      }
    }
    const maxFileSize = settings.configs.some((c) => c.parsed.config.maxFileSize) ? settings.maxFileSize : (client.maxFileSize ?? settings.maxFileSize);
    return { ...common, enabled, reason, ruleSet: settings.ruleSet, format: settings.format, maxFileSize, configs: settings.configs };
  }
}

export function baseConfig(client: ClientSettings): CandorConfig {
  const base: CandorConfig = {};
  if (Object.keys(client.rules).length) base.rules = client.rules;
  if (client.allow.length) base.allow = client.allow;
  return base;
}
