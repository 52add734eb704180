import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import type { Finding, Suggestion } from '../../server/src/engine/types';
import { runCandor } from '../helpers';

/** A finding as `--format json` writes it: the engine's Finding, suggestions without flags. */
export type JsonFinding = Omit<Finding, 'suggestions'> & { suggestions: Array<Pick<Suggestion, 'text' | 'fix'>> };

export interface JsonReport {
  version: number;
  files: Array<{ path: string; findings: JsonFinding[]; notices: Array<Record<string, any>>; fixed?: number }>;
  summary: Record<string, any>;
}

const workspaces: string[] = [];
// Each test file gets its own copy of this module: its workspaces go when its tests are done.
afterAll(() => {
  for (const dir of workspaces.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder with the given files (paths with / are created), removed after the test file. */
export function workspace(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'candor-cli-'));
  workspaces.push(dir);
  write(dir, files);
  return dir;
}

export function write(dir: string, files: Record<string, string | Buffer>): void {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

export function read(dir: string, name: string): string {
  return readFileSync(path.join(dir, name), 'utf8');
}

/** Every file of a folder (recursively) with its bytes, for "nothing else changed" checks. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = readFileSync(p).toString('base64');
    }
  };
  walk(dir);
  return out;
}

export async function lintJson(args: string[], options: Parameters<typeof runCandor>[1] = {}) {
  const r = await runCandor(['lint', '--format', 'json', ...args], options);
  let report: JsonReport | undefined;
  try {
    report = r.stdout ? (JSON.parse(r.stdout) as JsonReport) : undefined;
  } catch {
    throw new Error(`not JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  return { ...r, report: report! };
}

/**
 * A team config whose own rules are the only ones on, so tests do not depend on which
 * built-in rules exist or which of them are marked fixable.
 */
export const TEAM_RULES = [
  { id: 'team/kindly-note', category: 'defensive', patterns: ['kindly note'], message: 'Say it plainly.', suggestions: ['note'], fixable: true },
  { id: 'team/valued-customer', category: 'hierarchy', patterns: ['dear valued customer'], message: 'Use their name.', suggestions: ['hi there'], fixable: true },
  { id: 'team/be-advised', category: 'defensive', patterns: ['please be advised that'], message: 'Just say it.', suggestions: [''], fixable: true },
  { id: 'team/earliest', category: 'cliche', patterns: ['at your earliest convenience'], message: 'Say when.', suggestions: ['when you can'], fixable: true },
  { id: 'team/synergy', category: 'cliche', patterns: ['holistic synergy'], message: 'Jargon.', suggestions: ['"plain" & simple \\ talk'], fixable: true },
  { id: 'team/king', category: 'cliche', patterns: ['the customer is king'], message: 'A slogan, not a promise.', suggestions: ['we want this to work for you'] },
];

export function teamConfig(extra: Record<string, unknown> = {}, rules = TEAM_RULES): string {
  const severities: Record<string, string> = { cliche: 'off', defensive: 'off', hierarchy: 'off' };
  for (const r of rules) severities[r.id] = 'warning';
  return JSON.stringify({ rules: severities, phrases: rules, ...extra }, null, 2);
}
