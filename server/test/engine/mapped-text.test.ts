import { describe, expect, it } from 'vitest';
import { MappedText, MappedTextBuilder } from '../../src/engine/mapped-text.js';

describe('MappedText', () => {
  it('maps copied, replaced and masked pieces back to the source', () => {
    const src = 'we&rsquo;re <b>unable</b> to';
    const b = new MappedTextBuilder(src);
    b.copy(0, 2).replace(2, 9, '’').copy(9, 12).mask(12, 15).copy(15, 21).mask(21, 25).copy(25, 28);
    const m = b.build();
    expect(m.text).toBe('we’re    unable     to');
    expect(m.rangeToSource(0, m.text.length)).toEqual([0, src.length]);
    const i = m.text.indexOf('re');
    expect(src.slice(...m.rangeToSource(i, i + 2))).toBe('re');
    // A range ending right after the entity covers the whole entity.
    expect(src.slice(...m.rangeToSource(0, 3))).toBe('we&rsquo;');
    const u = m.text.indexOf('unable');
    expect(src.slice(...m.rangeToSource(u, u + 6))).toBe('unable');
  });
  it('composes layers', () => {
    const file = '{"v": "a\\nb per our policy"}';
    const start = file.indexOf('a\\n');
    const b = new MappedTextBuilder(file);
    b.copy(start, start + 1).replace(start + 1, start + 3, '\n').copy(start + 3, file.length - 2);
    const decoded = b.build();
    expect(decoded.text).toBe('a\nb per our policy');
    const inner = MappedText.identity(decoded.text).compose(MappedText.identity('x'));
    expect(inner.text).toBe('x');
    const layered = decoded.compose(new MappedTextBuilder(decoded.text).copy(2, decoded.text.length).build());
    const p = layered.text.indexOf('per our policy');
    expect(file.slice(...layered.rangeToSource(p, p + 14))).toBe('per our policy');
  });
});
