/**
 * Word normalization shared by rule patterns and linted text. Both sides go through the
 * same function, so a pattern written as "we are unable to" matches "We’re unable to",
 * "WE ARE UNABLE TO" and "we're unable to" alike.
 */

const IS_CONTRACTED = new Set([
  'it', 'that', 'there', 'here', 'what', 'who', 'he', 'she', 'where', 'how', 'everything', 'nothing', 'this',
]);

const WHOLE_WORD: Record<string, string[]> = {
  "can't": ['can', 'not'],
  cannot: ['can', 'not'],
  "won't": ['will', 'not'],
  "shan't": ['shall', 'not'],
  "ain't": ['is', 'not'],
  "let's": ['let', 'us'],
  "i'm": ['i', 'am'],
  "y'all": ['you', 'all'],
};

/** Curly apostrophes and modifier letters read as a straight apostrophe. */
const APOSTROPHES = /[\u2019\u2018\u02bc\u2032`]/g;

/**
 * Normalize one written word (letters, digits and inner apostrophes) into one or more
 * matching tokens. Returns a shared array for the common single-token case.
 */
export function normalizeWord(word: string): string[] {
  let w = word.toLowerCase();
  if (w.includes('\u2019') || w.includes('\u2018') || w.includes('\u02bc') || w.includes('`') || w.includes('\u2032')) {
    w = w.replace(APOSTROPHES, "'");
  }
  if (w === 'cannot') return WHOLE_WORD.cannot;
  const apos = w.indexOf("'");
  if (apos >= 0) {
    const whole = WHOLE_WORD[w];
    if (whole) return whole;
    if (w.endsWith("n't")) return [w.slice(0, -3), 'not'];
    if (w.endsWith("'re")) return [w.slice(0, -3), 'are'];
    if (w.endsWith("'ve")) return [w.slice(0, -3), 'have'];
    if (w.endsWith("'ll")) return [w.slice(0, -3), 'will'];
    if (w.endsWith("'d")) return [w.slice(0, -2), 'would'];
    if (w.endsWith("'s")) {
      const base = w.slice(0, -2);
      if (IS_CONTRACTED.has(base)) return [base, 'is'];
      return [w];
    }
    if (w.endsWith("'")) w = w.slice(0, -1); // trailing possessive: "customers'"
    return [britishToAmerican(w)];
  }
  return [britishToAmerican(w)];
}

/**
 * -ise spellings fold into -ize (apologise → apologize, prioritise → prioritize).
 * Over-folding ("promise" → "promize") is harmless because patterns fold the same way.
 */
export function britishToAmerican(w: string): string {
  if (w.length < 5) return w;
  const c = w.charCodeAt(w.length - 1);
  // Fast path: only words ending in e, d, s, g or n can carry the suffixes.
  if (c !== 101 && c !== 100 && c !== 115 && c !== 103 && c !== 110) return w;
  if (w.endsWith('ise')) return w.slice(0, -3) + 'ize';
  if (w.endsWith('ised')) return w.slice(0, -4) + 'ized';
  if (w.endsWith('ises')) return w.slice(0, -4) + 'izes';
  if (w.endsWith('ising')) return w.slice(0, -5) + 'izing';
  if (w.endsWith('isation')) return w.slice(0, -7) + 'ization';
  if (w.endsWith('isations')) return w.slice(0, -8) + 'izations';
  return w;
}

/** Regular English inflections of a pattern word (`policy~`). Over-generating is harmless. */
export function inflections(word: string): string[] {
  const w = word.toLowerCase();
  const forms = new Set<string>([w]);
  const last = w[w.length - 1];
  const beforeLast = w[w.length - 2] ?? '';
  const vowel = (ch: string) => 'aeiou'.includes(ch);
  if (last === 'y' && !vowel(beforeLast)) {
    const stem = w.slice(0, -1);
    forms.add(stem + 'ies');
    forms.add(stem + 'ied');
    forms.add(w + 'ing');
  } else if (/(s|x|z|ch|sh)$/.test(w)) {
    forms.add(w + 'es');
    forms.add(w + 'ed');
    forms.add(w + 'ing');
  } else if (last === 'e') {
    forms.add(w + 's');
    forms.add(w + 'd');
    forms.add(w.slice(0, -1) + 'ing');
  } else {
    forms.add(w + 's');
    forms.add(w + 'ed');
    forms.add(w + 'ing');
    // Consonant-vowel-consonant endings double: stop → stopped, stopping.
    if (w.length >= 3 && !vowel(last) && vowel(beforeLast) && !vowel(w[w.length - 3]) && !'wxy'.includes(last)) {
      forms.add(w + last + 'ed');
      forms.add(w + last + 'ing');
    }
  }
  return [...forms];
}
