import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { URI } from 'vscode-uri';

/**
 * Where each rule's documentation lives: `rules/docs/<category>/<name>.md`, generated from
 * the rule data. Links point at the installed copy (a file:// URI) so they open offline —
 * next to the bundle in the VS Code extension (dist/rules/docs), or at the package root when
 * the server runs from the repository or from npm (server/dist/server.cjs → ../../rules/docs).
 */

let docsDir: string | null | undefined;

export function setDocsDir(dir: string | undefined): void {
  if (dir) docsDir = dir;
  cache.clear();
}

function findDocsDir(): string | null {
  if (docsDir !== undefined) return docsDir;
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.join(here, 'rules/docs'), path.join(here, '../../rules/docs'), path.join(here, '../rules/docs')]) {
    if (existsSync(candidate)) return (docsDir = candidate);
  }
  return (docsDir = null);
}

/** The file:// URI of a rule's doc, or undefined for rules without one (a team's own). */
const cache = new Map<string, string | undefined>();

export function ruleDocUri(ruleId: string): string | undefined {
  if (cache.has(ruleId)) return cache.get(ruleId);
  const dir = findDocsDir();
  let uri: string | undefined;
  if (dir && /^[a-z0-9-]+\/[a-z0-9-]+$/.test(ruleId)) {
    const file = path.join(dir, `${ruleId}.md`);
    if (existsSync(file)) uri = URI.file(file).toString();
  }
  cache.set(ruleId, uri);
  return uri;
}
