/**
 * Records stamped in a local hour a change of clocks made ambiguous: in
 * autumn the repeated hour's first pass is placed at the offset before the
 * change and its second pass (from where the clock is seen going back) at
 * the offset after; in spring a time that did not exist is said per file,
 * with its line. On the byte path (native and JavaScript) and the text path,
 * and through the built CLI (timeline, windows, report).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordReader, type ClockNote } from '../../src/readers/assembler.js';
import { kafkaLog4jLayout } from '../../src/readers/kafka-log4j.js';
import { parseNaiveTimestamp } from '../../src/time/timestamp.js';
import { Zone } from '../../src/time/zone.js';
import { buildTimeline } from '../../src/read/build.js';
import { tempDir } from '../helpers/tmp.js';
import { runAs } from '../hostile/cli.js';

const berlin = new Zone('Europe/Berlin');
const line = (stamp: string, what: string): string => `[${stamp}] INFO [KafkaServer id=1] ${what} (kafka.server.KafkaServer)`;

/** A broker restarted in each pass of the repeated hour of 2024-10-27 (02:00–03:00 Berlin). */
const AUTUMN = [
  line('2024-10-27 01:50:00,000', 'started'),
  line('2024-10-27 02:10:00,000', 'shutting down'),
  line('2024-10-27 02:10:05,000', 'shut down completed'),
  line('2024-10-27 02:20:00,000', 'started'),
  line('2024-10-27 02:50:00,000', 'shutting down'),
  line('2024-10-27 02:50:05,000', 'shut down completed'),
  // The clock goes back: 02:05 of the second pass, 15 minutes after 02:50 of the first.
  line('2024-10-27 02:05:00,000', 'started'),
  line('2024-10-27 02:30:00,000', 'shutting down'),
  line('2024-10-27 02:30:05,000', 'shut down completed'),
  line('2024-10-27 03:10:00,000', 'started'),
];
const AUTUMN_UTC = [
  '2024-10-26T23:50:00.000Z', '2024-10-27T00:10:00.000Z', '2024-10-27T00:10:05.000Z', '2024-10-27T00:20:00.000Z',
  '2024-10-27T00:50:00.000Z', '2024-10-27T00:50:05.000Z', '2024-10-27T01:05:00.000Z', '2024-10-27T01:30:00.000Z',
  '2024-10-27T01:30:05.000Z', '2024-10-27T02:10:00.000Z',
];

/** 2024-03-31 02:00–03:00 did not exist in Berlin. */
const SPRING = [
  line('2024-03-31 01:55:00,000', 'started'),
  line('2024-03-31 02:15:00,000', 'shutting down'),
  line('2024-03-31 02:15:05,000', 'shut down completed'),
  line('2024-03-31 03:20:00,000', 'started'),
];

function place(lines: readonly string[], zone = berlin): { times: string[]; notes: ClockNote[] } {
  const reader = new RecordReader(kafkaLog4jLayout('kafka-broker'), zone);
  const times: string[] = [];
  for (const l of [...lines.map((text) => reader.push(text)), reader.end()]) if (l) times.push(new Date(l.time).toISOString());
  return { times, notes: reader.clockNotes };
}

describe('Zone.ambiguity', () => {
  const naive = (t: string) => parseNaiveTimestamp(t);
  it('names the repeated autumn hour with the offsets of its two passes', () => {
    const a = berlin.ambiguity(naive('2024-10-27 02:59:59,999'))!;
    expect(a).toMatchObject({ kind: 'repeated', before: 120, after: 60 });
    expect([new Date(a.from).toISOString(), new Date(a.to).toISOString()]).toEqual(['2024-10-27T02:00:00.000Z', '2024-10-27T03:00:00.000Z']);
  });
  it('names the skipped spring hour', () => {
    expect(berlin.ambiguity(naive('2024-03-31 02:00:00,000'))).toMatchObject({ kind: 'skipped', before: 60, after: 120 });
  });
  it.each(['2024-10-27 01:59:59,999', '2024-10-27 03:00:00,000', '2024-03-31 01:59:59,999', '2024-03-31 03:00:00,000', '2024-07-01 02:30:00,000'])(
    'a local time with one reading is not ambiguous: %s', (t) => {
      expect(berlin.ambiguity(naive(t))).toBeUndefined();
    },
  );
  it('UTC and zones without changes are never ambiguous', () => {
    expect(new Zone('UTC').ambiguity(naive('2024-10-27 02:30:00,000'))).toBeUndefined();
    expect(new Zone('Asia/Seoul').ambiguity(naive('2024-10-27 02:30:00,000'))).toBeUndefined();
  });
  it('a span of one offset never takes in an ambiguous hour (the native scanner converts inside it)', () => {
    const span = berlin.constantSpan(naive('2024-10-27 01:00:00,000'));
    expect(span.to).toBeLessThanOrEqual(naive('2024-10-27 02:00:00,000'));
    const after = berlin.constantSpan(naive('2024-10-27 04:00:00,000'));
    expect(after.from).toBeGreaterThanOrEqual(naive('2024-10-27 03:00:00,000'));
  });
});

describe('a file\'s records in the repeated autumn hour', () => {
  it('are placed in the first pass until the clock goes back, then in the second', () => {
    const { times, notes } = place(AUTUMN);
    expect(times).toEqual(AUTUMN_UTC);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ firstLine: 2, lastLine: 9, records: 8, firstPass: 5, secondPass: 3, backAt: 7, backBy: 45 * 60_000 + 5_000 });
  });

  it('a file silent during the second pass: all in the first, no going back noted', () => {
    const { times, notes } = place([AUTUMN[0]!, AUTUMN[1]!, AUTUMN[2]!, AUTUMN[9]!]);
    expect(times).toEqual(['2024-10-26T23:50:00.000Z', '2024-10-27T00:10:00.000Z', '2024-10-27T00:10:05.000Z', '2024-10-27T02:10:00.000Z']);
    expect(notes[0]).toMatchObject({ records: 2, firstPass: 2, secondPass: 0 });
    expect(notes[0]!.backAt).toBeUndefined();
  });

  it('records a few seconds out of order inside the hour do not start the second pass', () => {
    const { times } = place([
      line('2024-10-27 02:10:00,000', 'started'),
      line('2024-10-27 02:09:50,000', 'shutting down'),
      line('2024-10-27 02:10:01,000', 'shut down completed'),
    ]);
    expect(times).toEqual(['2024-10-27T00:10:00.000Z', '2024-10-27T00:09:50.000Z', '2024-10-27T00:10:01.000Z']);
  });

  it('outside any change nothing is noted', () => {
    expect(place([line('2024-07-01 02:30:00,000', 'started')]).notes).toEqual([]);
  });
});

describe('a file\'s records in the skipped spring hour', () => {
  it('are read with the offset before the change and noted with their first line', () => {
    const { times, notes } = place(SPRING);
    expect(times).toEqual(['2024-03-31T00:55:00.000Z', '2024-03-31T01:15:00.000Z', '2024-03-31T01:15:05.000Z', '2024-03-31T01:20:00.000Z']);
    expect(notes).toEqual([expect.objectContaining({ firstLine: 2, lastLine: 3, records: 2, firstNaive: parseNaiveTimestamp('2024-03-31 02:15:00,000') })]);
    expect(notes[0]!.ambiguity.kind).toBe('skipped');
  });
});

describe('through the timeline (every read path)', () => {
  const t = tempDir('kf-dst-');
  const autumn = t.write('autumn/broker-1/server.log', `${AUTUMN.join('\n')}\n`);
  t.write('spring/broker-1/server.log', `${SPRING.join('\n')}\n`);
  // The byte path counts records no rule needs in runs of one offset: a busy file around the change.
  const busy: string[] = [];
  for (let m = 0; m < 60; m++) busy.push(`[2024-10-27 02:${String(m).padStart(2, '0')}:00,000] DEBUG [Log partition=t-0] noise (kafka.log.Log)`);
  busy.push(line('2024-10-27 02:59:30,000', 'shutting down'));
  for (let m = 0; m < 60; m++) busy.push(`[2024-10-27 02:${String(m).padStart(2, '0')}:10,000] DEBUG [Log partition=t-0] noise (kafka.log.Log)`);
  busy.push(line('2024-10-27 02:59:40,000', 'started'));
  t.write('busy/broker-1/server.log', `${busy.join('\n')}\n`);

  it.each([false, true])('all: %s', async (all) => {
    const timeline = await buildTimeline([autumn], { zone: berlin, all });
    const times: string[] = [];
    for await (const e of timeline.events) if (e.rule) times.push(new Date(e.time).toISOString());
    expect(times).toEqual(AUTUMN_UTC);
    expect(timeline.clockNotes()).toEqual([{ file: autumn, note: expect.objectContaining({ firstPass: 5, secondPass: 3, backAt: 7 }) }]);
  });

  it('a busy file: the shutdown of the first pass an hour before the start of the second', async () => {
    const timeline = await buildTimeline([join(t.root, 'busy')], { zone: berlin });
    const times: string[] = [];
    for await (const e of timeline.events) times.push(new Date(e.time).toISOString());
    expect(times).toEqual(['2024-10-27T00:59:30.000Z', '2024-10-27T01:59:40.000Z']);
    expect(timeline.clockNotes()[0]!.note).toMatchObject({ records: 122, firstPass: 61, secondPass: 61, backAt: 62 });
  });

  it('timeline says each file\'s placement, with its line, and exits 0', () => {
    const r = runAs(['timeline', join(t.root, 'autumn'), join(t.root, 'spring'), '--tz', 'Europe/Berlin', '--format', 'ndjson']);
    expect(r.status, r.stderr).toBe(0);
    const times = r.stdout.trim().split('\n').map((l) => JSON.parse(l).time as string);
    expect(times.slice(-6, -3)).toEqual(['2024-10-27T02:50:00.000+02:00', '2024-10-27T02:50:05.000+02:00', '2024-10-27T02:05:00.000+01:00']);
    expect(r.stderr).toContain(`${autumn}:2: 8 record(s) (lines 2–9) stamped in the local hour 02:00–03:00 on 2024-10-27, which Europe/Berlin lived twice (first pass +02:00, second +01:00): 5 placed in the first pass, 3 in the second, from line 7 on, where the clock went back 45m 05s.`);
    expect(r.stderr).toContain(`spring/broker-1/server.log:2: stamped 2024-03-31 02:15:00, a local time that did not exist in Europe/Berlin (its clocks went from 02:00 to 03:00); 2 record(s) of the file (lines 2–3)`);
    expect(r.stderr).toContain('check --tz');
  });

  it('windows place the outage of each pass where it happened', () => {
    const r = runAs(['windows', join(t.root, 'autumn'), '--tz', 'Europe/Berlin', '--json']);
    const doc = JSON.parse(r.stdout) as { windows: { kind: string; start: string; end: string }[] };
    const down = doc.windows.filter((w) => w.kind === 'broker-down').map((w) => [w.start, w.end]);
    expect(down).toEqual([
      ['2024-10-27T02:10:00.000+02:00', '2024-10-27T02:20:00.000+02:00'],
      ['2024-10-27T02:50:00.000+02:00', '2024-10-27T02:05:00.000+01:00'],
      ['2024-10-27T02:30:00.000+01:00', '2024-10-27T03:10:00.000+01:00'],
    ]);
    expect(r.stderr).toContain('5 placed in the first pass, 3 in the second');
  });

  it('tables give the offset of times in the repeated hour (its passes read alike otherwise)', () => {
    const r = runAs(['timeline', join(t.root, 'autumn'), '--tz', 'Europe/Berlin'], { env: { COLUMNS: '200' } });
    const rows = r.stdout.split('\n');
    const at = (time: string) => rows.findIndex((l) => l.startsWith(time));
    expect(rows[at('2024-10-27 02:50:00.000') + 1]).toMatch(/^\+02:00\s*$/);
    expect(rows[at('2024-10-27 02:05:00.000') + 1]).toMatch(/^\+01:00\s*$/);
    expect(rows[at('2024-10-27 01:50:00.000') + 1]).not.toMatch(/^\+0/);
    expect(r.stdout).toMatch(/│ 2024-10-27 02:50:00\.000 │ 2024-10-27 02:05:00\.000 │ 15m 00s[^\n]*\n[^\n]*│ \+02:00\s+│ \+01:00\s+│/);
  });

  it('the report carries the notes (JSON, Markdown)', () => {
    const out = join(t.root, 'r.json');
    const r = runAs(['report', join(t.root, 'autumn'), join(t.root, 'spring'), '--tz', 'Europe/Berlin', '--out', out]);
    expect([0, 1], r.stderr).toContain(r.status);
    const notes = (JSON.parse(readFileSync(out, 'utf8')) as { inputQuality: { clockChanges?: string[] } }).inputQuality.clockChanges ?? [];
    expect(notes.some((n) => n.includes('5 placed in the first pass, 3 in the second, from line 7 on'))).toBe(true);
    expect(notes.some((n) => n.includes('a local time that did not exist in Europe/Berlin'))).toBe(true);
    const md = join(t.root, 'r.md');
    runAs(['report', join(t.root, 'autumn'), '--tz', 'Europe/Berlin', '--out', md]);
    expect(readFileSync(md, 'utf8')).toContain('- **Change of clocks:** ');
  });
});
