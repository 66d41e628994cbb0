import { describe, expect, it } from 'vitest';
import { collapseWhitespace } from '../../src/parser/text.js';

describe('collapseWhitespace', () => {
  it('turns every run of whitespace into one space and trims, leaving clean text as it is', () => {
    const cases: [string, string][] = [
      ['Mixture of\n  Experts', 'Mixture of Experts'],
      ['  padded title ', 'padded title'],
      ['tab\tand\u00a0no-break\u2003em space', 'tab and no-break em space'],
      ['line\r\nbreaks\u2028too', 'line breaks too'],
      ['already clean', 'already clean'],
      ['', ''],
      ['   ', ''],
    ];
    for (const [input, expected] of cases) expect(collapseWhitespace(input), JSON.stringify(input)).toBe(expected);
  });
});
