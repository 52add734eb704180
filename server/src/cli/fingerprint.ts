import { createHash } from '../engine/builtins.js';
import type { Finding } from '../engine/types.js';

/**
 * Fingerprints that survive edits elsewhere in a file: built from the rule, the matched text
 * (normalized: case, apostrophes, whitespace and line wraps do not count) and which
 * occurrence of that (rule, text) pair in the file it is — never from line numbers. Used by
 * the baseline (with the file's path) and by SARIF `partialFingerprints` (without it, since
 * the location already names the file).
 */

export function normalizeMatchedText(text: string): string {
  return text
    .toLowerCase()
    .replace(/\\[nrt]/g, ' ') // JSON string escapes of line breaks read as spaces
    .replace(/[\u2018\u2019\u02bc\u2032`]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface FindingKey {
  ruleId: string;
  /** Normalized matched text. */
  text: string;
  /** 0-based: the how-many-th finding of this rule with this text in the file. */
  occurrence: number;
}

/** Keys of a file's findings, in the findings' order (which is by offset). */
export function findingKeys(findings: readonly Finding[]): FindingKey[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const text = normalizeMatchedText(f.text);
    const id = f.ruleId + '\u0000' + text;
    const occurrence = seen.get(id) ?? 0;
    seen.set(id, occurrence + 1);
    return { ruleId: f.ruleId, text, occurrence };
  });
}

export function hash(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\u0000');
  return h.digest('hex');
}

/** The baseline fingerprint: path + rule + normalized text + occurrence. */
export function baselineFingerprint(path: string, key: FindingKey): string {
  return hash('candor-baseline/v1', path, key.ruleId, key.text, String(key.occurrence)).slice(0, 32);
}

/** SARIF partialFingerprints value: rule + normalized text + occurrence (the file is in the location). */
export function resultFingerprint(key: FindingKey): string {
  return hash('candor-result/v1', key.ruleId, key.text, String(key.occurrence)).slice(0, 32);
}
