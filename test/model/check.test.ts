import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compiledParse } from '../../src/model/check.js';
import { EventSchema, TimelineSchema } from '../../src/model/timeline.js';
import { WindowsDocSchema, WindowSchema } from '../../src/model/window.js';
import { GapReportSchema } from '../../src/model/gap.js';

const event = {
  time: '2024-02-23T07:41:02.123+09:00', node: 'broker-2', nodeKind: 'kafka-broker', file: '/logs/server.log', line: 12,
  rule: 'kafka.isr.shrink', category: 'replication', severity: 'warn', message: 'Shrinking ISR from 1,2,3 to 1',
  fields: { partition: 'orders-3', from: [1, 2, 3], to: [1] }, continuation: [],
};
const evidence = { file: '/logs/server.log', line: 12, time: '2024-02-23T07:41:02.123+09:00', rule: 'kafka.isr.shrink', text: 'Shrinking ISR' };
const window = {
  kind: 'under-replicated', topic: 'orders', partition: 3, start: '2024-02-23T07:41:02.123+09:00', end: null,
  startBounds: { earliest: '2024-02-23T07:41:02.123+09:00', latest: '2024-02-23T07:41:02.123+09:00' }, endBounds: null,
  startSource: { how: 'the ISR was short', evidence }, durationMs: null, confidence: 'high', reason: 'ISR shrank',
  details: { isr: [1], underMinIsr: true }, evidence: [evidence],
};

/** Values near a valid one: members dropped, added, reordered, set to values of other types. */
function near(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(valid);
  const odd = fc.oneof(
    fc.constant(undefined), fc.constant(null), fc.constant(Number.NaN), fc.constant(Infinity), fc.constant(-1), fc.constant(0), fc.constant(1.5),
    fc.constant(''), fc.constant([]), fc.constant({}), fc.constant([undefined]), fc.constant({ a: [1, 'x'] }), fc.constant('high'), fc.constant(true),
    fc.jsonValue(),
  );
  return fc.record({
    drop: fc.subarray(keys, { maxLength: 2 }),
    set: fc.array(fc.tuple(fc.constantFrom(...keys), odd), { maxLength: 2 }),
    extra: fc.option(fc.tuple(fc.constantFrom('extra', '__x', 'kind'), odd)),
    reverse: fc.boolean(),
  }).map(({ drop, set, extra, reverse }) => {
    let entries = Object.entries(valid).filter(([k]) => !drop.includes(k));
    for (const [k, v] of set) entries = entries.map(([key, old]) => [key, key === k ? v : old]);
    if (extra) entries.push(extra);
    if (reverse) entries.reverse();
    return Object.fromEntries(entries);
  });
}

/** What --json writes of a value: JSON.stringify of what the parse returned, or the parse's error. */
function written(parse: (v: unknown) => unknown, v: unknown): string {
  try {
    return JSON.stringify(parse(v), null, 2);
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

describe('compiledParse', () => {
  it('writes exactly what zod\'s parse would, for values near valid events, windows and documents', () => {
    const cases: [z.ZodType, Record<string, unknown>][] = [
      [EventSchema, event],
      [WindowSchema, window],
      [WindowsDocSchema, { schema: 'kforensics/windows/v1', timeZone: 'UTC', mode: 'zookeeper', modeReason: 'r', windows: [window], falseAlarms: [], disagreements: [] }],
      [TimelineSchema, { schema: 'kforensics/timeline/v1', timeZone: 'UTC', inputs: [], windows: [window], skew: { reference: null, estimates: [] }, events: [event] }],
    ];
    for (const [schema, valid] of cases) {
      const fast = compiledParse(schema);
      expect(fast(valid)).toBe(valid);
      fc.assert(fc.property(near(valid), (v) => {
        expect(written(fast, v)).toBe(written((x) => schema.parse(x), v));
      }), { numRuns: 400 });
    }
  });

  it('passes a value as it is only when it is already what the parse returns', () => {
    const fast = compiledParse(EventSchema);
    expect(fast({ ...event })).toEqual(event);
    // Out of order: zod's copy (in the schema's order) is what is written.
    const reordered = Object.fromEntries(Object.entries(event).reverse());
    expect(fast(reordered)).not.toBe(reordered);
    expect(Object.keys(fast(reordered))).toEqual(Object.keys(event));
    // Unknown member: stripped by zod.
    const extra = { ...event, extra: 1 };
    expect(fast(extra)).not.toHaveProperty('extra');
    // Not an integer, a hole in an array, a wrong enum: zod's error.
    expect(() => fast({ ...event, line: 1.5 })).toThrow();
    expect(() => fast({ ...event, line: 0 })).toThrow();
    expect(() => fast({ ...event, continuation: [, 'x'] })).toThrow(); // eslint-disable-line no-sparse-arrays
    expect(() => fast({ ...event, severity: 'fatal' })).toThrow();
    expect(() => fast({ ...event, fields: { a: Infinity } })).toThrow();
  });

  it('leaves schemas it cannot compile to zod (refinements, transforms, defaults)', () => {
    const refined = z.object({ a: z.string().min(2) });
    expect(() => compiledParse(refined)({ a: 'x' })).toThrow();
    const defaulted = z.object({ a: z.number().default(3) });
    expect(compiledParse(defaulted)({})).toEqual({ a: 3 });
    // A union of objects: zod keeps the first option that parses (here stripping b), so it is zod's to check.
    const union = z.union([z.object({ a: z.number() }), z.object({ a: z.number(), b: z.number() })]);
    expect(compiledParse(union)({ a: 1, b: 2 })).toEqual({ a: 1 });
    // A document schema of the tool's that uses them still parses as zod does.
    const gap = compiledParse(GapReportSchema);
    expect(() => gap({})).toThrow();
  });
});
