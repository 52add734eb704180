/**
 * Every real template of the shared corpus (read in place, never copied): detected, extracted
 * without throwing, every map inside the file, no template syntax left in the prose, and
 * every YAML string decoded exactly like the yaml package decodes it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isScalar, parseAllDocuments, visit } from 'yaml';
import { detectFormat, extractProse } from '../../src/formats/index.js';
import { decodeYamlScalar } from '../../src/formats/yaml.js';
import { expectCopiesFaithful, expectMapsInside } from './helpers.js';

const CORPUS = '/work/shared/corpus/real';
const files = existsSync(CORPUS) ? readdirSync(CORPUS).sort() : [];

/** Files whose leftover template syntax is known and explained (none at the moment). */
const KNOWN_LEFTOVERS: Record<string, string> = {};

describe.skipIf(files.length === 0 && process.env.CI !== 'true')('real corpus', () => {
  it('extracts every file without throwing, with maps inside the file and no template syntax left', () => {
    const leftovers: string[] = [];
    for (const file of files) {
      const text = readFileSync(path.join(CORPUS, file), 'utf8');
      const format = detectFormat(file, text);
      const result = extractProse(text, format);
      expectMapsInside(text, result);
      expectCopiesFaithful(text, result);
      for (const region of result.regions) {
        const m = /\{\{|\{%|<%|%\{/.exec(region.text.text);
        if (m && !KNOWN_LEFTOVERS[file]) {
          leftovers.push(`${file}: ${JSON.stringify(region.text.text.slice(Math.max(0, m.index - 20), m.index + 30))}`);
        }
      }
      expect(result.problems.filter((p) => p.message.startsWith('Could not read')), file).toEqual([]);
    }
    expect(leftovers).toEqual([]);
  });

  it('detects the format the manifest describes', () => {
    const manifest = readFileSync(path.join(CORPUS, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1);
    const wrong: string[] = [];
    for (const line of manifest) {
      const [file, , , , , syntax] = line.split('\t');
      const text = readFileSync(path.join(CORPUS, file), 'utf8');
      const got = detectFormat(file, text);
      const expected = syntax.startsWith('yaml')
        ? 'yaml'
        : /(^|\+)markdown/.test(syntax)
          ? 'markdown'
          : /\+(html|inky|mjml-compiled-html)$/.test(syntax) || syntax === 'erb(<%= %>)+html'
            ? 'html'
            : undefined;
      if (expected && got !== expected) wrong.push(`${file}: ${syntax} → ${got}`);
    }
    // Embedded templates (SQL, Ruby) are sniffed by content; a one-line Markdown reply with no
    // Markdown syntax (ansibullbot fork) reads as text, which lints it the same way.
    expect(wrong.filter((w) => !/^(libredesk__template|zammad__trigger|ansibullbot__fork)/.test(w))).toEqual([]);
  });

  it('decodes every YAML string scalar exactly like the yaml package', () => {
    let count = 0;
    for (const file of files.filter((f) => /\.ya?ml$/.test(f))) {
      const src = readFileSync(path.join(CORPUS, file), 'utf8');
      for (const doc of parseAllDocuments(src, { keepSourceTokens: true })) {
        visit(doc, {
          Scalar(_key, node) {
            if (!isScalar(node) || typeof node.value !== 'string') return;
            const m = decodeYamlScalar(src, node);
            if (!m) return;
            expect(m.text, `${file} @${node.range?.[0]}`).toBe(node.value);
            count++;
          },
        });
      }
    }
    expect(count).toBeGreaterThan(500);
  });
});
