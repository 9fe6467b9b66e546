/**
 * Property tests of the LineSplitter, the one place bytes become lines: any
 * bytes, any chunk boundaries, same lines; one line per LF (plus a last one
 * without); nothing kept between chunks but one partial line.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/sources/lines.js';
import { bytesArb, cutsArb, oneLine, PARAMS, TIMEOUT } from './arbitraries.js';

function split(bytes: Uint8Array, cuts: readonly number[]): { lines: string[]; splitter: LineSplitter } {
  const splitter = new LineSplitter();
  const lines: string[] = [];
  let from = 0;
  for (const at of [...cuts, bytes.length]) {
    // A copy, scribbled over after the push: the splitter must not keep a reference.
    const chunk = Buffer.from(bytes.subarray(from, at));
    lines.push(...splitter.push(chunk));
    chunk.fill(0x41);
    from = at;
  }
  lines.push(...splitter.end());
  return { lines, splitter };
}

const withCuts = (arb: fc.Arbitrary<Uint8Array>) => arb.chain((b) => fc.tuple(fc.constant(b), cutsArb(b.length)));

describe('LineSplitter (property)', () => {
  it('gives the same lines whatever the chunk boundaries, one per LF plus an unterminated last one', () => {
    fc.assert(fc.property(withCuts(bytesArb), ([bytes, cuts]) => {
      const whole = split(bytes, []);
      const chunked = split(bytes, cuts);
      expect(chunked.lines).toEqual(whole.lines);
      expect(chunked.splitter.stats).toEqual(whole.splitter.stats);
      const lf = bytes.reduce((n, b) => n + (b === 10 ? 1 : 0), 0);
      const trailing = bytes.length > 0 && bytes[bytes.length - 1] !== 10 ? 1 : 0;
      expect(whole.lines.length).toBe(lf + trailing);
      for (const l of whole.lines) expect(l.includes('\n') || l.includes('\0')).toBe(false);
    }), PARAMS);
  }, TIMEOUT);

  it('returns UTF-8 text exactly (CRLF or LF, no NUL), split inside multi-byte characters or not', () => {
    const text = fc.array(oneLine(60).map((s) => s.replace(/\0/g, '')), { maxLength: 30 });
    const input = fc.tuple(text, fc.boolean(), fc.boolean()).map(([ls, crlf, final]) => ({
      lines: ls, bytes: Buffer.from(ls.join(crlf ? '\r\n' : '\n') + (final && ls.length > 0 ? '\n' : ''), 'utf8'),
    }));
    fc.assert(fc.property(input.chain((x) => fc.tuple(fc.constant(x), cutsArb(x.bytes.length))), ([{ lines, bytes }, cuts]) => {
      // The model: split the text at each LF (dropping a CR before it); a final LF ends the last line.
      const text = bytes.toString('utf8');
      const expected = text === '' ? [] : text.split(/\r?\n/);
      if (text.endsWith('\n')) expected.pop();
      expect(expected.length).toBeLessThanOrEqual(Math.max(lines.length, 1));
      expect(split(bytes, cuts).lines).toEqual(expected);
    }), PARAMS);
  }, TIMEOUT);

  it('keeps bytes that are not UTF-8 as Latin-1 characters, never U+FFFD', () => {
    const latin1 = fc.array(fc.integer({ min: 0xa0, max: 0xff }), { minLength: 1, maxLength: 40 });
    fc.assert(fc.property(fc.tuple(oneLine(30).map((s) => s.replace(/[^ -~]/g, '')), latin1), ([ascii, high]) => {
      const bytes = Buffer.concat([Buffer.from(ascii, 'latin1'), Buffer.from(high), Buffer.from('\n')]);
      const { lines, splitter } = split(bytes, []);
      // Some high-byte runs happen to be valid UTF-8 (é as C3 A9): only invalid ones fall back.
      const valid = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, -1));
      if (!valid.includes('\uFFFD')) return;
      expect(lines).toEqual([bytes.subarray(0, -1).toString('latin1')]);
      expect(splitter.stats.latin1Lines).toBe(1);
    }), PARAMS);
  }, TIMEOUT);
});
