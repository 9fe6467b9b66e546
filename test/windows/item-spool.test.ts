import { existsSync, openSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Spool } from '../../src/windows/item-spool.js';

// Long lists (the report's key events and rows, the lines judged false alarms)
// live in a spool: what is read back must be what was put, in any order and
// any number of times, whether the items are in the file, still pending, or
// held in memory because no temporary file could be made.

const TEXTS = ['', 'plain', 'tab\tand\nnewline', 'ünïcödé ✓ 🙂', '"quoted" \\ back'];
/** Longer than the spool's pending block and its read-ahead: one item in 500 (comparing more only costs the test time). */
const LONG = 'x'.repeat(300_000);
const textOf = (i: number): string => (i % 500 === 7 ? LONG : TEXTS[i % TEXTS.length]!) + i;

function items(n: number): { n: number; text: string; nested: { a: number[]; b: string | null } }[] {
  return Array.from({ length: n }, (_, i) => ({ n: i, text: textOf(i), nested: { a: [i, -i - 1, i / 3], b: i % 2 ? null : `${i}` } }));
}

function check(spool: Spool<ReturnType<typeof items>[number]>, expected: ReturnType<typeof items>): void {
  expect(spool.length).toBe(expected.length);
  expect([...spool]).toEqual(expected);
  // Again, and out of order (a key-event row is read back by number for the appendix).
  expect([...spool]).toEqual(expected);
  for (const i of [expected.length - 1, 0, Math.floor(expected.length / 2), 1, expected.length - 2]) expect(spool.at(i)).toEqual(expected[i]);
  expect(JSON.parse(JSON.stringify(spool))).toEqual(expected);
}

describe('Spool', () => {
  const tmp = process.env.TMPDIR;
  afterEach(() => {
    if (tmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmp;
  });

  it('gives back what was put: across blocks, items longer than a block, read while items are pending', () => {
    const all = items(5000);
    const spool = new Spool<(typeof all)[number]>();
    all.slice(0, 10).forEach((x) => spool.push(x));
    // Read while still pending (nothing written to the file yet), then more put after.
    expect(spool.at(3)).toEqual(all[3]);
    all.slice(10).forEach((x, i) => expect(spool.push(x)).toBe(10 + i));
    check(spool, all);
    spool.close();
  });

  it('encodes and decodes through the codec given', () => {
    const spool = new Spool<{ a: string; b: number }>((x) => [x.b, x.a], (j) => ({ a: (j as [number, string])[1], b: (j as [number, string])[0] }));
    for (let i = 0; i < 3000; i++) spool.push({ a: `item ${i}`, b: i });
    expect([...spool].map((x) => Object.keys(x).join())).toEqual(Array(3000).fill('a,b'));
    expect(spool.at(2999)).toEqual({ a: 'item 2999', b: 2999 });
  });

  it('a spool of text holds each string as it is', () => {
    const spool = Spool.ofText();
    const texts = Array.from({ length: 4000 }, (_, i) => textOf(i));
    texts.forEach((t) => spool.push(t));
    expect([...spool]).toEqual(texts);
    expect(spool.at(5)).toBe(texts[5]);
  });

  it.skipIf(!existsSync('/proc/self/fd'))('keeps the items the file cannot take (a full disk) in memory, and those before in the file', () => {
    const all = items(3000);
    const spool = new Spool<(typeof all)[number]>();
    all.slice(0, 1000).forEach((x) => spool.push(x));
    // Writes now fail as on a full disk: the same (unlinked) file, open for reading only.
    const { bytes } = spool as unknown as { bytes: { fd: number; inFile: number; failed: boolean } };
    bytes.fd = openSync(`/proc/self/fd/${bytes.fd}`, 'r');
    all.slice(1000).forEach((x) => spool.push(x));
    // The file took the first items, memory the rest.
    expect(bytes.inFile).toBeGreaterThan(0);
    expect(bytes.failed).toBe(true);
    check(spool, all);
  });

  it('holds the items in memory where no temporary file can be made', () => {
    process.env.TMPDIR = '/nonexistent/kforensics-spool-test';
    const all = items(500);
    const spool = new Spool<(typeof all)[number]>();
    all.forEach((x) => spool.push(x));
    check(spool, all);
  });
});
