import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonString, NoRoom, NotPlain, writeJson } from '../../src/report/json-bytes.js';

/** writeJson's text of `value` at `depth`, in a buffer of `size` bytes. */
function written(value: unknown, depth = 0, size = 1 << 20): string {
  const buf = Buffer.alloc(size);
  return buf.subarray(0, writeJson(buf, 0, value, depth)).toString('utf8');
}

/** JSON.stringify(value, null, 2) as the text of a member `depth` levels down a document. */
const stringified = (value: unknown, depth = 0): string => JSON.stringify(value, null, 2).replace(/\n/g, `\n${'  '.repeat(depth)}`);

// Every UTF-16 unit: control characters, quotes, backslashes, DEL, wide characters, pairs and lone surrogates.
const units = fc.string({ unit: fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), fc.constantFrom('"', '\\', '\n', '\u007f', '\u2028', '\ud83d\ude00', '\ud800', '\udfff')) });

describe('writeJson', () => {
  it('writes JSON.stringify(value, null, 2) in UTF-8, for any plain data and any string', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 3 }), (v, depth) => {
      expect(written(v, depth)).toBe(stringified(v, depth));
    }), { numRuns: 1000 });
    fc.assert(fc.property(fc.dictionary(units, fc.oneof(units, fc.array(units), fc.double(), fc.integer())), (v) => {
      expect(written(v)).toBe(stringified(v));
    }), { numRuns: 1000 });
  });

  it('leaves out undefined, functions and symbols as JSON.stringify does, and writes them as null in an array', () => {
    const v = { a: undefined, b: [undefined, () => 1, Symbol('s'), 1], c: () => 2, d: Symbol('t'), e: -0, f: Number.NaN, g: Infinity, h: {}, i: [], j: { k: undefined } };
    expect(written(v)).toBe(stringified(v));
    const bare = Object.assign(Object.create(null) as object, { '2': 'two', b: 1, '1': 'one' });
    expect(written(bare)).toBe(stringified(bare));
  });

  it('refuses what is not plain data (a Date, a Map, an object with toJSON, a bigint, undefined at the top)', () => {
    for (const v of [new Date(0), new Map(), { toJSON: () => 1 }, 1n, undefined, { a: new Set() }, [Object.create({ inherited: 1 })]]) {
      expect(() => written(v), String(v)).toThrow(NotPlain);
    }
  });

  it('says when the text does not fit in the buffer', () => {
    const v = { message: 'x'.repeat(100), list: [1, 2, 3] };
    expect(() => written(v, 0, 50)).toThrow(NoRoom);
    expect(() => written('é'.repeat(10), 0, 20)).toThrow(NoRoom);
    expect(written(v, 0, 1024)).toBe(stringified(v));
  });
});

describe('jsonString', () => {
  it('is JSON.stringify of any string: escapes, control characters, pairs and lone surrogates', () => {
    fc.assert(fc.property(units, (s) => {
      expect(jsonString(s)).toBe(JSON.stringify(s));
    }), { numRuns: 5000 });
    for (const s of ['', 'plain [Partition orders-3 broker=2] text', 'a "quote"', 'back\\slash', 'tab\there', '\u0000', '\u001f', '\u007f', 'é ü 日本', '\u2028', '\ud83d\ude00', 'x\ud800', '\udfffx']) {
      expect(jsonString(s), s).toBe(JSON.stringify(s));
    }
  });
});
