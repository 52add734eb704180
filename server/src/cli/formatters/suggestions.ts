import type { Suggestion } from '../../engine/types.js';

/** A deletion (its edit may also re-capitalize the next word). */
export function isRemoval(s: Suggestion): boolean {
  return s.removal === true;
}

/** A suggestion as a list item: `“rewrite”`, or `remove “phrase”` for a deletion. */
export function suggestionLabel(s: Suggestion): string {
  return isRemoval(s) ? s.text.replace(/^Remove/, 'remove') : `“${s.text}”`;
}

/** Every suggestion, for a one-line "Try: …". */
export function suggestionList(suggestions: readonly Suggestion[]): string {
  return suggestions.map(suggestionLabel).join(', ');
}
