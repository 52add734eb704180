import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { builtinPatterns, builtinRules, RULES_VERSION } from '../rules/builtin.js';
import { compileRuleSet, type CompiledRuleSet } from '../engine/ruleset.js';
import type { FormatId, RuleData, SeveritySetting } from '../engine/types.js';
import { normalizeSeverities, parseConfig, toRuleData, type CandorConfig, type ParsedConfig } from './parse.js';

/**
 * Finds and merges the .candor.json files that apply to a file: every config from the file's
 * folder up to the file-system root (or up to one that says `"root": true`), nearer files
 * overriding farther ones, like ESLint's cascading configs. Results are cached per folder.
 */

export const CONFIG_FILE = '.candor.json';
export const DEFAULT_MAX_FILE_SIZE = 2_000_000;

/** Extensions linted when a folder is given and no "files" globs are configured. */
export const DEFAULT_EXTENSIONS = [
  'txt', 'text', 'md', 'markdown', 'html', 'htm', 'liquid', 'hbs', 'handlebars', 'mustache', 'erb', 'ejs',
  'j2', 'jinja', 'jinja2', 'njk', 'twig', 'tpl', 'json', 'yml', 'yaml',
];

export interface LoadedConfig {
  path: string;
  dir: string;
  parsed: ParsedConfig;
}

export interface FileSettings {
  ruleSet: CompiledRuleSet;
  format?: FormatId;
  maxFileSize: number;
  /** Matched by an `ignore` glob of a config. */
  ignored: boolean;
  /** Matched by the `files` globs (or the default extensions) — for folder walks. */
  included: boolean;
  /** The configs that applied, nearest last. */
  configs: LoadedConfig[];
}

export interface ResolverOptions {
  /** Use this config file only (CLI --config), no discovery. */
  configFile?: string;
  /** Settings from the editor, applied under every config file. */
  base?: CandorConfig;
  /** Read a file (the language server reads open documents from memory). */
  readFile?: (file: string) => string | undefined;
}

interface Layer {
  dir: string;
  config: CandorConfig;
  ig?: Ignore;
}

export class ConfigResolver {
  private readonly dirCache = new Map<string, LoadedConfig[]>();
  private readonly fileCache = new Map<string, LoadedConfig | null>();
  /** The CLI asks for the same file twice (when finding files and when linting them). */
  private readonly settingsCache = new Map<string, FileSettings>();
  private readonly sharedSettings = new Map<string, FileSettings>();
  /** Per folder: the config layers that apply there, and whether any has per-file globs. */
  private readonly folderPlans = new Map<string, { configs: LoadedConfig[]; layers: Layer[]; perFile: boolean }>();

  constructor(private readonly options: ResolverOptions = {}) {}

  /** Every config file loaded so far, for reporting their problems. */
  loadedConfigs(): LoadedConfig[] {
    return [...this.fileCache.values()].filter((c): c is LoadedConfig => c !== null);
  }

  /** Forget cached configs (the language server calls this when a config file changes). */
  clear(): void {
    this.dirCache.clear();
    this.fileCache.clear();
    this.settingsCache.clear();
    this.sharedSettings.clear();
    this.folderPlans.clear();
  }

  configsFor(file: string): LoadedConfig[] {
    return this.configsForFolder(path.dirname(path.resolve(file)));
  }

  private configsForFolder(dir: string): LoadedConfig[] {
    if (this.options.configFile) {
      const loaded = this.load(path.resolve(this.options.configFile));
      return loaded ? [loaded] : [];
    }
    return this.chain(dir);
  }

  /** The layers of a folder, computed once: a walk asks for every file of it. */
  private folderPlan(dir: string): { configs: LoadedConfig[]; layers: Layer[]; perFile: boolean } {
    let plan = this.folderPlans.get(dir);
    if (!plan) {
      const configs = this.configsForFolder(dir);
      const layers: Layer[] = [];
      if (this.options.base) layers.push({ dir, config: this.options.base });
      for (const c of configs) if (!c.parsed.invalid) layers.push({ dir: c.dir, config: c.parsed.config });
      const perFile = layers.some((l) => l.config.ignore?.length || l.config.overrides?.length || l.config.files?.length);
      plan = { configs, layers, perFile };
      this.folderPlans.set(dir, plan);
    }
    return plan;
  }

  settingsFor(file: string): FileSettings {
    // A CLI run asks twice for every file, by the same absolute path: no resolve for the second.
    const known = this.settingsCache.get(file);
    if (known) return known;
    const abs = resolvePath(file);
    let settings = abs === file ? undefined : this.settingsCache.get(abs);
    if (!settings) {
      settings = this.computeSettings(abs);
      if (this.settingsCache.size >= 100_000) this.settingsCache.clear();
      this.settingsCache.set(abs, settings);
    }
    return settings;
  }

  private computeSettings(abs: string): FileSettings {
    const dir = folderOf(abs);
    const { configs, layers, perFile } = this.folderPlan(dir);
    // Without per-file globs (ignore, overrides, files), every file of a folder with the same
    // kind of extension gets the same settings: computed once per folder.
    const sharedKey = perFile ? undefined : `${dir}\u0000${hasDefaultExtension(abs)}`;
    if (sharedKey !== undefined) {
      const shared = this.sharedSettings.get(sharedKey);
      if (shared) return shared;
    }

    let severities: Record<string, SeveritySetting> = {};
    const custom: RuleData[] = [];
    const allow: string[] = [];
    let format: FormatId | undefined;
    let maxFileSize = DEFAULT_MAX_FILE_SIZE;
    let ignored = false;
    let filesGlobs: { dir: string; globs: string[] } | undefined;
    for (const layer of layers) {
      const c = layer.config;
      const rel = toPosix(path.relative(layer.dir, abs));
      severities = { ...severities, ...normalizeSeverities(c.rules) };
      for (const p of c.phrases ?? []) custom.push(toRuleData(p));
      allow.push(...(c.allow ?? []));
      if (c.maxFileSize) maxFileSize = c.maxFileSize;
      if (c.files?.length) filesGlobs = { dir: layer.dir, globs: c.files };
      if (c.ignore?.length && rel && !rel.startsWith('..')) {
        layer.ig ??= ignore().add(c.ignore);
        if (layer.ig.ignores(rel)) ignored = true;
      }
      for (const o of c.overrides ?? []) {
        if (rel && !rel.startsWith('..') && picomatch(o.files, { dot: true, matchBase: !o.files.some((g) => g.includes('/')) })(rel)) {
          if (o.format) format = o.format;
          severities = { ...severities, ...normalizeSeverities(o.rules) };
        }
      }
    }
    let included: boolean;
    if (filesGlobs) {
      const rel = toPosix(path.relative(filesGlobs.dir, abs));
      included = picomatch(filesGlobs.globs, { dot: true, matchBase: !filesGlobs.globs.some((g) => g.includes('/')) })(rel);
    } else {
      included = hasDefaultExtension(abs);
    }
    const ruleSet = compileRuleSet(builtinRules, { severities, custom, allow }, RULES_VERSION, builtinPatterns);
    const settings: FileSettings = { ruleSet, format, maxFileSize, ignored, included, configs };
    if (sharedKey !== undefined) this.sharedSettings.set(sharedKey, settings);
    return settings;
  }

  private chain(dir: string): LoadedConfig[] {
    const cached = this.dirCache.get(dir);
    if (cached) return cached;
    const here = this.load(path.join(dir, CONFIG_FILE));
    let result: LoadedConfig[];
    const parent = path.dirname(dir);
    if (here?.parsed.config.root || parent === dir) result = here ? [here] : [];
    else result = here ? [...this.chain(parent), here] : this.chain(parent);
    this.dirCache.set(dir, result);
    return result;
  }

  private load(file: string): LoadedConfig | null {
    if (this.fileCache.has(file)) return this.fileCache.get(file)!;
    let text: string | undefined;
    try {
      text = this.options.readFile?.(file);
      if (text === undefined) {
        if (!statSync(file, { throwIfNoEntry: false })?.isFile()) {
          if (this.options.configFile && path.resolve(this.options.configFile) === file) {
            throw new ConfigNotFoundError(file);
          }
          this.fileCache.set(file, null);
          return null;
        }
        text = readFileSync(file, 'utf8');
      }
    } catch (err) {
      if (err instanceof ConfigNotFoundError) throw err;
      const loaded: LoadedConfig = {
        path: file,
        dir: path.dirname(file),
        parsed: { config: {}, invalid: true, issues: [{ severity: 'error', message: `Cannot read the config file: ${(err as Error).message}`, offset: 0, endOffset: 0, line: 1, column: 1, endLine: 1, endColumn: 1 }] },
      };
      this.fileCache.set(file, loaded);
      return loaded;
    }
    const loaded: LoadedConfig = { path: file, dir: path.dirname(file), parsed: parseConfig(text) };
    this.fileCache.set(file, loaded);
    return loaded;
  }
}

export class ConfigNotFoundError extends Error {
  constructor(readonly file: string) {
    super(`Config file not found: ${file}`);
  }
}

/**
 * path.resolve, skipped for an absolute POSIX path it would return unchanged — what a folder
 * walk yields, thousands of times per CLI run (resolving each cost ~5 µs).
 */
export function resolvePath(p: string): string {
  return isResolved(p) ? p : path.resolve(p);
}

function isResolved(p: string): boolean {
  return (
    path.sep === '/' &&
    p.charCodeAt(0) === 47 &&
    (p.length === 1 || p.charCodeAt(p.length - 1) !== 47) &&
    !p.includes('//') &&
    !p.includes('/./') &&
    !p.includes('/../') &&
    !p.endsWith('/.') &&
    !p.endsWith('/..')
  );
}

/**
 * path.dirname and path.basename of a resolved absolute path (see resolvePath), without their
 * general-purpose character loops: a walk asks several times for each of thousands of files.
 */
export function folderOf(abs: string): string {
  if (path.sep !== '/') return path.dirname(abs);
  const i = abs.lastIndexOf('/');
  return i > 0 ? abs.slice(0, i) : '/';
}

export function nameOf(abs: string): string {
  return path.sep === '/' ? abs.slice(abs.lastIndexOf('/') + 1) : path.basename(abs);
}

const DEFAULT_EXTENSION_SET = new Set(DEFAULT_EXTENSIONS);

/** Asked twice for every file a walk finds: no path.basename, no lower-cased copy of the name. */
export function hasDefaultExtension(file: string): boolean {
  const dot = file.lastIndexOf('.');
  if (dot === -1 || dot < file.lastIndexOf('/') || (path.sep === '\\' && dot < file.lastIndexOf('\\'))) return false;
  const ext = file.slice(dot + 1);
  return DEFAULT_EXTENSION_SET.has(ext) || DEFAULT_EXTENSION_SET.has(ext.toLowerCase());
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
