import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonChunks } from '../../src/report/stream-json.js';

describe('jsonChunks', () => {
  it('joined, is JSON.stringify(value, null, 2), for any plain data', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      expect([...jsonChunks(v)].join('')).toBe(JSON.stringify(v, null, 2));
    }), { numRuns: 500 });
  });

  it('skips undefined members and writes undefined array items as null, as JSON.stringify does', () => {
    const v = { a: undefined, b: [undefined, 1, { c: undefined, d: 'x' }], e: {}, f: [] };
    expect([...jsonChunks(v)].join('')).toBe(JSON.stringify(v, null, 2));
  });

  it('one piece per member of the top two levels: a long array is never one string', () => {
    const v = { windows: Array.from({ length: 1000 }, (_, i) => ({ i, text: 'x'.repeat(50) })) };
    const pieces = [...jsonChunks(v)];
    expect(pieces.length).toBeGreaterThan(1000);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(200);
  });
});
