/**
 * Rewrites keep the writer's capitalization: "PER OUR POLICY" gets an all-caps rewrite,
 * "Per our policy" a capitalized one, "per our policy" a lower-case one (unless the rewrite
 * starts with "I" or an acronym, which stay as written).
 */
export function matchCase(original: string, replacement: string): string {
  if (!replacement) return replacement;
  const letters = original.replace(/[^\p{L}]/gu, '');
  if (letters.length >= 2 && letters === letters.toUpperCase() && letters !== letters.toLowerCase()) {
    return replacement.toUpperCase();
  }
  const first = letters[0];
  if (!first) return replacement;
  const firstIsUpper = first !== first.toLowerCase();
  if (firstIsUpper) return capitalize(replacement);
  const firstWord = replacement.split(/[\s,]/)[0];
  if (/^I(?:'|’|$)/.test(firstWord) || (firstWord.length >= 2 && firstWord === firstWord.toUpperCase())) return replacement;
  return replacement[0].toLowerCase() + replacement.slice(1);
}

export function capitalize(s: string): string {
  const i = s.search(/\p{L}/u);
  if (i < 0) return s;
  return s.slice(0, i) + s[i].toUpperCase() + s.slice(i + 1);
}
