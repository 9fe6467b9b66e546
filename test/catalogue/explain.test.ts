import { describe, expect, it } from 'vitest';
import { partialMatch, tokenize } from '../../src/catalogue/explain.js';

describe('how far a pattern gets into a text', () => {
  it('splits a pattern into pieces with their quantifiers, and its alternatives', () => {
    expect(tokenize(String.raw`^\[(?<id>\d+)\],? a[bc]{2,3}?(?:x|y)+|z`)).toEqual([
      ['^', String.raw`\[`, String.raw`(?<id>\d+)`, String.raw`\]`, ',?', ' ', 'a', '[bc]{2,3}?', '(?:x|y)+'],
      ['z'],
    ]);
    expect(tokenize(String.raw`[\]a](\))\k<id>\u{1F600}`)).toEqual([[String.raw`[\]a]`, String.raw`(\))`, String.raw`\k<id>`, String.raw`\u{1F600}`]]);
  });

  it('stops at the first piece that does not match, inside groups and alternatives too', () => {
    expect(partialMatch(/^Shrinking ISR from (?<from>[\d,]+) to (?<to>[\d,]+)/, 'Shrinking ISR from 3,1 into 3')).toEqual({
      end: 'Shrinking ISR from 3,1 '.length, patternMatched: String.raw`^Shrinking ISR from (?<from>[\d,]+) `, patternNext: 't',
    });
    const alt = partialMatch(/^(?:Starting|Beginning) controlled (?:shutdown|restart)$/, 'Beginning controlled shut-down');
    expect(alt.end).toBe('Beginning controlled shut'.length);
    expect(alt.patternNext).toBe('d');
    expect(partialMatch(/^abc$/, 'abc')).toEqual({ end: 3, patternMatched: '^abc$', patternNext: null });
    expect(partialMatch(/^abc/, 'xyz').end).toBe(0);
  });
});
