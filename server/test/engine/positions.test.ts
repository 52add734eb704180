import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../src/engine/positions.js';

/** Line/character by walking the text one unit at a time (\n, \r\n and \r end a line). */
function reference(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      start = i + 1;
    }
  }
  return { line, character: offset - start };
}

describe('LineIndex', () => {
  const texts = ['', 'one line', 'a\nb\nc', '\n\n', 'a\r\nb\r\n', 'a\rb\rc', 'mixed\r\nends\nhere\rand\r\r\n\nthere', 'trailing\n', '\r', 'x\u2028y'];
  for (const text of texts) {
    it(`maps every offset of ${JSON.stringify(text)}`, () => {
      const index = new LineIndex(text);
      for (let o = 0; o <= text.length; o++) expect(index.position(o)).toEqual(reference(text, o));
    });
  }
});
