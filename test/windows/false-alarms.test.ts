/**
 * The false alarms of a pass whose windows are spooled go to a temporary
 * file as they are judged and are read back one at a time (false-alarms.ts):
 * what is read back must be what was put, in order, whatever the text holds,
 * from a file or, where none can be made, from memory.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FalseAlarmList } from '../../src/windows/false-alarms.js';
import type { FalseAlarm } from '../../src/windows/window.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('kforensics-false-alarms-');

function alarms(): FalseAlarm[] {
  const out: FalseAlarm[] = [];
  for (let i = 0; i < 5000; i++) {
    out.push({
      file: `/logs/broker-${i % 3}/server.log`, line: i + 1, time: i % 7 === 0 ? null : 1_700_000_000_000 + i,
      ruleId: i % 5 === 0 ? null : `kafka.isr.shrink.${i % 2}`,
      text: i % 11 === 0 ? `a line with a break\nand "quotes", é, 漢字 ${i}` : `[Partition orders-${i % 40} broker=2] Shrinking ISR from 1,2,3 to 2`,
      why: `reason ${i % 4}`,
    });
  }
  // Longer than a read of the file at once, and numbers JSON does not keep.
  out.push({ file: 'big.log', line: 1, time: 1, ruleId: null, text: 'x'.repeat(200_000), why: 'long' });
  out.push({ file: 'odd.log', line: Number.NaN, time: Number.POSITIVE_INFINITY, ruleId: 'r', text: '', why: 'odd' });
  out.push({ file: 'last.log', line: 2, time: 2, ruleId: 'r', text: 'the last', why: 'long' });
  return out;
}

describe('false alarms put aside', () => {
  const tmp = process.env.TMPDIR;
  afterEach(() => {
    if (tmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmp;
  });

  it('reads back from the file what was put, in order, as often as asked', () => {
    const put = alarms();
    const list = new FalseAlarmList(true);
    for (const f of put) list.push(f);
    expect(list.length).toBe(put.length);
    expect([...list]).toEqual(put);
    expect([...list]).toEqual(put);
  });

  it('holds them in memory where no temporary file can be made', () => {
    process.env.TMPDIR = join(dir.root, 'no-such-dir');
    const put = alarms();
    const list = new FalseAlarmList(true);
    for (const f of put) list.push(f);
    expect([...list]).toEqual(put);
  });

  it('holds them as they are when not spooled', () => {
    const put = alarms();
    const list = new FalseAlarmList(false);
    for (const f of put) list.push(f);
    expect([...list]).toEqual(put);
    expect([...list][0]).toBe(put[0]);
  });
});
