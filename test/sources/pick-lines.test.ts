/**
 * pickLines' native walk (a plain file, a member lying in one) against the
 * line splitter's stream (pickLinesStreamed, the reference): the same text
 * for every line picked, on files made to catch an offset off by one.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandInputs } from '../../src/sources/archive.js';
import { MAX_LINE_BYTES, pickLines, pickLinesStreamed } from '../../src/sources/lines.js';
import { CHUNK } from '../../src/sources/open.js';
import { nativeScanners } from '../../src/readers/native.js';
import { tempDir } from '../helpers/tmp.js';
import { seeded } from '../../scripts/bench/random.mjs';

const tmp = tempDir('pick-lines');
const native = nativeScanners();

async function picked(pick: (path: string, lines: number[], take: (line: number, text: string) => void) => Promise<void>, path: string, wanted: number[]): Promise<{ got: [number, string][]; error?: string }> {
  const got: [number, string][] = [];
  try {
    await pick(path, [...new Set(wanted)].sort((a, b) => a - b), (n, text) => got.push([n, text]));
  } catch (e) {
    return { got, error: (e as Error).message };
  }
  return { got };
}

/** Both paths on the same lines: the same lines in the same order, the same text, the same failure. */
async function same(path: string, wanted: number[]): Promise<number> {
  const fast = await picked(pickLines, path, wanted);
  const stream = await picked(pickLinesStreamed, path, wanted);
  expect(fast.got.length).toBe(stream.got.length);
  for (let i = 0; i < fast.got.length; i++) expect(fast.got[i], `line ${stream.got[i]![0]}`).toEqual(stream.got[i]);
  expect(fast.error).toBe(stream.error);
  return fast.got.length;
}

/** Lines of every kind the splitter treats apart. */
function awkwardLines(rnd: () => number): Buffer[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const kinds: (() => Buffer)[] = [
    () => Buffer.from(`[2022-10-05 17:05:39,${String(Math.floor(rnd() * 1000)).padStart(3, '0')}] INFO line (x.Y)\n`),
    () => Buffer.from(`crlf ${rnd()}\r\n`),
    () => Buffer.from('\n'),
    () => Buffer.from('\r\n'),
    () => Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0xff, 0x0a]),
    () => Buffer.from('nul\0\0in it\r\0\n'),
    () => Buffer.from('тест 🙂 utf-8\n'),
    () => Buffer.from(`${'m'.repeat(Math.floor(rnd() * 300_000))}\n`),
  ];
  return Array.from({ length: 400 }, () => pick(kinds)());
}

/** Over-long lines whose cut, NUL removal and CR depend on where the stream's pieces fall. */
function longLines(): Buffer[] {
  const nulTail = Buffer.concat([Buffer.from('n'.repeat(MAX_LINE_BYTES - 10)), Buffer.from('\r'), Buffer.alloc(20), Buffer.from('\n')]);
  return [
    Buffer.from(`${'q'.repeat(MAX_LINE_BYTES + 5)}é\n`),
    Buffer.from(`${'w'.repeat(MAX_LINE_BYTES - 1)}é\r\n`),
    Buffer.from(`${'e'.repeat(MAX_LINE_BYTES)}\n`),
    Buffer.from(`${'r'.repeat(MAX_LINE_BYTES - 1)}\r\n`),
    Buffer.from(`${'t'.repeat(MAX_LINE_BYTES + 1)}\n`),
    Buffer.concat([Buffer.alloc(CHUNK + 7), Buffer.from(`${'z'.repeat(MAX_LINE_BYTES)}\n`)]),
    Buffer.concat([Buffer.from('y'.repeat(MAX_LINE_BYTES - 3)), Buffer.alloc(CHUNK * 2), Buffer.from('tail\r\n')]),
    nulTail,
    Buffer.concat([Buffer.from('x'), nulTail]),
    // NULs dropped in the piece that goes over MAX_LINE_BYTES, the CR and NUL after it appended as they are: the CR stays.
    Buffer.concat([Buffer.alloc(600 << 10), Buffer.from('p'.repeat(700 << 10)), Buffer.from('\r\0\n')]),
  ];
}

describe('pickLines: the native walk against the stream', () => {
  it('has the addon here (else the comparisons below compare the stream with itself)', () => {
    if (process.env.KF_NATIVE === '0') return;
    expect(typeof native?.pickFileLinesAsync).toBe('function');
  });

  it('pickFileLinesAsync: where each wanted line starts and ends, its bytes copied, the walk resumed when out is full', async () => {
    if (!native) return;
    const lines = ['a', '', 'bb', 'ccc\r', 'x'.repeat(40), 'dd', 'last'];
    const path = tmp.write('spans.log', lines.join('\n'));
    const starts = lines.map((_, i) => lines.slice(0, i).reduce((s, l) => s + l.length + 1, 0));
    const fd = openSync(path, 'r');
    try {
      const wanted = Float64Array.from([1, 2, 4, 5, 7, 9]);
      const spans = new Float64Array(2 * wanted.length + 3);
      const out = Buffer.alloc(64);
      const size = statSync(path).size;
      expect(await native.pickFileLinesAsync(fd, 0, size, 0, wanted, spans, out, 30)).toBe(5);
      expect([...spans.subarray(0, 10)]).toEqual([1, 2, 4, 5, 7].flatMap((n) => [starts[n - 1]!, starts[n - 1]! + lines[n - 1]!.length]));
      // Line 5 is longer than the copy limit: not copied; line 7 has no newline.
      expect(out.subarray(0, 2 + 1 + 5 + 4).toString()).toBe('a\n\nccc\r\nlast');
      expect([...spans.subarray(12)]).toEqual([size, 8, 0]);
      // Room for two lines: the walk stops before the third, where it starts and with its number.
      const small = Buffer.alloc(4);
      const spans2 = new Float64Array(2 * 3 + 3);
      expect(await native.pickFileLinesAsync(fd, 0, size, 0, Float64Array.from([1, 2, 3]), spans2, small, 30)).toBe(2);
      expect([...spans2.subarray(6)]).toEqual([starts[2]!, 3, 1]);
      // Going on from there, numbered from it.
      expect(await native.pickFileLinesAsync(fd, starts[2]!, size, 2, Float64Array.from([3, 6]), spans2, out, 30)).toBe(2);
      expect([...spans2.subarray(0, 4)]).toEqual([starts[2]!, starts[2]! + 2, starts[5]!, starts[5]! + 2]);
    } finally {
      closeSync(fd);
    }
  });

  it('random selections of awkward lines, plain and with a BOM, every line and lines around the pieces', async () => {
    const rnd = seeded(16);
    const body = Buffer.concat([...awkwardLines(rnd), Buffer.from('the end, no newline')]);
    for (const [name, bytes] of [['plain.log', body], ['bom.log', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body])]] as const) {
      const path = tmp.write(name, bytes);
      const count = body.toString('latin1').split('\n').length;
      expect(await same(path, Array.from({ length: count + 3 }, (_, i) => i + 1))).toBe(count);
      for (let round = 0; round < 12; round++) {
        const wanted = Array.from({ length: 1 + Math.floor(rnd() * 60) }, () => 1 + Math.floor(rnd() * (count + 2)));
        await same(path, wanted);
      }
      await same(path, [count]);
      await same(path, [count - 1]);
      await same(path, [count + 1]);
    }
  });

  it('over-long lines (cut, NUL runs, a CR before NULs) wherever the stream\'s pieces fall, and more bytes than one walk copies', async () => {
    const long = longLines();
    for (const shift of [0, 1, 5, CHUNK - 3]) {
      const bytes = Buffer.concat([Buffer.from('s'.repeat(shift)), Buffer.from('\n'), ...long, ...long.slice(0, 3), Buffer.from('ok\r\n')]);
      const path = tmp.write(`long-${shift}.log`, bytes);
      const count = long.length + 3 + 2;
      expect(await same(path, Array.from({ length: count + 1 }, (_, i) => i + 1))).toBe(count);
      await same(path, [2, 5, count]);
    }
    // The last line over-long and without a newline.
    await same(tmp.write('long-last.log', Buffer.concat([Buffer.from('a\n'), Buffer.from('b'.repeat(MAX_LINE_BYTES + 9)), Buffer.alloc(3)])), [1, 2]);
  });

  it('runs of empty lines and of short ones (the newlines counted 4 KiB at a time), every count of lines passed', async () => {
    const rnd = seeded(3);
    const short = Array.from({ length: 60_000 }, () => 'y'.repeat(Math.floor(rnd() * 40))).join('\n');
    const path = tmp.write('dense.log', `${'\n'.repeat(20_000)}${short}\n${'\n'.repeat(9_000)}z`);
    const count = 20_000 + 60_000 + 9_000 + 1;
    for (let round = 0; round < 20; round++) {
      const wanted = Array.from({ length: 1 + Math.floor(rnd() * 30) }, () => 1 + Math.floor(rnd() * count));
      expect(await same(path, wanted)).toBe(new Set(wanted).size);
    }
    // Each of a run of neighbours around where the counting of 4 KiB spans gives way to memchr.
    expect(await same(path, Array.from({ length: 9_000 }, (_, i) => 4_000 + i))).toBe(9_000);
    await same(path, [4095, 4096, 4097, 8191, 8192, 8193, 20_000, 20_001, count]);
  });

  it('empty files, a lone BOM, a lone newline, UTF-16 (read by the stream)', async () => {
    await same(tmp.write('empty.log', ''), [1]);
    await same(tmp.write('bom-only.log', Buffer.from([0xef, 0xbb, 0xbf])), [1, 2]);
    await same(tmp.write('bom-line.log', Buffer.from([0xef, 0xbb, 0xbf, 0x61])), [1, 2]);
    await same(tmp.write('newline.log', '\n'), [1, 2]);
    const utf16 = Buffer.from(`\ufeff${Array.from({ length: 50 }, (_, i) => `line ${i} é\r\n`).join('')}`, 'utf16le');
    expect(await same(tmp.write('utf16.log', utf16), [1, 7, 50, 51])).toBe(3);
    expect(await same(tmp.write('utf16-nobom.log', utf16.subarray(2)), [2, 50])).toBe(2);
  });

  it('line numbers that are not counts give what the stream gives', async () => {
    const path = tmp.write('numbers.log', 'a\nb\nc\n');
    await same(path, [0, 2]);
    await same(path, [1.5, 3]);
    await same(path, [-1]);
    // Unsorted, repeated, from a generator (read once) or a typed array: each line once, ascending.
    for (const wanted of [(function* () { yield* [3, 1, 3, 2, 1]; })(), Int32Array.from([3, 1, 3]), new Set([2, 1])]) {
      const got: number[] = [];
      await pickLines(path, wanted, (n) => got.push(n));
      expect(got).toEqual(wanted instanceof Set ? [1, 2] : wanted instanceof Int32Array ? [1, 3] : [1, 2, 3]);
    }
  });

  it('a file gone or truncated since the pass', async () => {
    await same(join(tmp.root, 'never-there.log'), [1]);
    const path = tmp.write('truncated.log', Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n'));
    truncateSync(path, 3000);
    expect(await same(path, [5, 300, 400, 999])).toBe(2);
  });

  it('members of a plain tar (ranges of it) and of a .tar.gz (spooled)', async () => {
    const dir = join(tmp.root, 'tar');
    mkdirSync(join(dir, 'b'), { recursive: true });
    const rnd = seeded(7);
    writeFileSync(join(dir, 'b', 'server.log'), Buffer.concat([...awkwardLines(rnd), Buffer.from('no newline at the end')]));
    writeFileSync(join(dir, 'b', 'other.log'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), ...longLines().slice(0, 2), ...longLines().slice(-1), Buffer.from('x\n')]));
    for (const flags of ['-cf', '-czf']) {
      const archive = join(tmp.root, `logs${flags}.tar`);
      execFileSync('tar', [flags, archive, '-C', dir, 'b']);
      const found = await expandInputs({ files: [{ path: archive, size: statSync(archive).size }], notRead: [], missing: [] }, false);
      expect(found.files.length).toBe(2);
      for (const { path } of found.files) {
        expect(await same(path, Array.from({ length: 420 }, (_, i) => i + 1))).toBeGreaterThanOrEqual(3);
        await same(path, [2, 3, 50, 401]);
      }
    }
    // A tar cut short: its last member's range ends early, with the damage to say (thrown after the lines before it).
    const whole = readFileSync(join(tmp.root, 'logs-cf.tar'));
    const cut = tmp.write('cut.tar', whole.subarray(0, whole.length >> 1));
    const found = await expandInputs({ files: [{ path: cut, size: statSync(cut).size }], notRead: [], missing: [] }, false);
    const errors: (string | undefined)[] = [];
    for (const { path } of found.files) {
      await same(path, Array.from({ length: 420 }, (_, i) => i + 1));
      await same(path, [1, 2]);
      errors.push((await picked(pickLines, path, [1_000_000])).error);
    }
    expect(errors.some((e) => e?.startsWith('the archive ends inside this member'))).toBe(true);
  });
});

describe('countFileNewlinesAsync: the newlines of a byte range, counted 16 bytes at a time', () => {
  it('counts as a byte loop does, in ranges of any start and length, runs of over 255 newlines a lane included', async () => {
    if (!native) return;
    const rnd = seeded(21);
    // Sparse lines, dense ones and long runs of newlines alone (a lane's byte counter wraps past 255).
    const parts: Buffer[] = [];
    for (let k = 0; k < 400; k++) {
      const kind = Math.floor(rnd() * 3);
      parts.push(kind === 0 ? Buffer.from(`${'x'.repeat(Math.floor(rnd() * 3000))}\n`) : kind === 1 ? Buffer.from('a\n'.repeat(1 + Math.floor(rnd() * 40))) : Buffer.alloc(1 + Math.floor(rnd() * 9000), 10));
    }
    const bytes = Buffer.concat(parts);
    const path = tmp.write('newlines.log', bytes);
    const fd = openSync(path, 'r');
    try {
      const newlines = (from: number, to: number) => {
        let n = 0;
        for (let i = from; i < to; i++) if (bytes[i] === 10) n++;
        return n;
      };
      const ranges: [number, number][] = [[0, bytes.length], [0, 0], [0, 15], [1, 17], [bytes.length - 5, bytes.length]];
      for (let k = 0; k < 60; k++) {
        const from = Math.floor(rnd() * bytes.length);
        ranges.push([from, Math.min(bytes.length, from + Math.floor(rnd() * (3 << 20)))]);
      }
      for (const [from, to] of ranges) expect(await native.countFileNewlinesAsync(fd, from, to), `${from}-${to}`).toBe(newlines(from, to));
    } finally {
      closeSync(fd);
    }
  });
});
