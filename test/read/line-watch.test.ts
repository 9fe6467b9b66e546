import { describe, expect, it } from 'vitest';
import { defaultClassifier } from '../../src/catalogue/index.js';
import type { Family, PlannedFile } from '../../src/read/plan.js';
import { familyEvents, type LineWatch } from '../../src/read/read.js';
import { KafkaGate, readKafkaBytes } from '../../src/read/kafka-fast.js';
import { RecordReader } from '../../src/readers/assembler.js';
import { kafkaLog4jLayout } from '../../src/readers/kafka-log4j.js';
import { nativeScanners, KAFKA_STRIDE, ZOOKEEPER_STRIDE } from '../../src/readers/native.js';
import { StartupConfigScan } from '../../src/readers/startup-config.js';
import { newLineStats } from '../../src/sources/lines.js';
import { Zone } from '../../src/time/zone.js';
import { tempDir } from '../helpers/tmp.js';

// A line watcher (the report's start-up configs) is handed, on the byte path,
// each line holding its marker and the lines after one while it wants them.
// With the native scanner the marker is looked for by each range's scan on
// libuv's pool (native/scan_call.c); without it, by watchRange in JavaScript.
// Both must hand over exactly the lines the line splitter's reading would
// make the watcher act on, wherever a range begins or ends.
const native = nativeScanners();
const MARKER = 'KafkaConfig values:';
const layout = kafkaLog4jLayout('kafka-broker');
const classifier = defaultClassifier();
const zone = new Zone('UTC');

/** Lines of one length (newline included), so that a buffer of `per` lines makes ranges of exactly `per` lines. */
const WIDTH = 96;
const ts = (s: number) => `[2026-11-21 04:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')},559]`;
const pad = (line: string) => {
  if (line.length > WIDTH - 1) throw new Error(`line too long: ${line}`);
  // Padded inside the line's text where its shape allows it (a record keeps its logger at its end).
  const fill = ' '.repeat(WIDTH - 1 - line.length);
  const logger = line.lastIndexOf(' (');
  return line.endsWith(')') && logger > 0 ? `${line.slice(0, logger)}${fill}${line.slice(logger)}` : `${line}${fill}`;
};
const header = (s: number) => `${ts(s)} INFO ${MARKER}`;
const value = (key: string, v: string) => `\t${key} = ${v}`;
/** A record no rule classifies (the scanner counts such records in runs, their folded lines too). */
const routine = (s: number, i: number) => `${ts(s)} INFO routine line ${i} (kafka.log.Log)`;

/** Records each line pushed with its number; wants the lines after a marker's while they start with a tab (as a dump's values do). */
class Recorder implements LineWatch {
  readonly marker = MARKER;
  readonly pushed: [number, string][] = [];
  private n = 0;
  private open = false;
  get wantsNext(): boolean {
    return this.open;
  }
  skipTo(n: number): void {
    this.n = n - 1;
  }
  push(line: string): void {
    this.pushed.push([++this.n, line]);
    this.open = (this.open && line.startsWith('\t')) || line.includes(MARKER);
  }
}

/** What a Recorder fed every line (the line splitter) acts on: the lines it is handed while it wants them or that hold its marker. */
function expected(lines: readonly string[]): [number, string][] {
  const out: [number, string][] = [];
  let open = false;
  lines.forEach((line, i) => {
    if (open || line.includes(MARKER)) out.push([i + 1, line]);
    open = (open && line.startsWith('\t')) || line.includes(MARKER);
  });
  return out;
}

async function watched(path: string, gate: KafkaGate, chunk: number): Promise<[number, string][]> {
  const watch = new Recorder();
  const reader = new RecordReader(layout, zone);
  for await (const _ of readKafkaBytes(path, reader, gate, newLineStats(), () => undefined, () => true, 0, undefined, 0, chunk, undefined, watch));
  return watch.pushed;
}

/** Ranges of `per` lines: markers placed at a range's first and last lines, two in one range, a dump running on into the next ranges, many in one range. */
function placed(per: number, final = true): string[] {
  const lines: string[] = [];
  let s = 0;
  const at = (range: number, line: number) => {
    while (lines.length < range * per + line) lines.push(routine(s++, lines.length));
  };
  // Range 0's first line, its values in range 0.
  // (One of its values holds the marker: a line handed over as one after a marker's is not handed over again.)
  lines.push(header(s++), value('broker.id', '1'), value('note', MARKER), value('log.dirs', '/data'));
  // Range 1's last line: its values in range 2.
  at(1, per - 1);
  lines.push(header(s++), value('broker.id', '2'), value('min.insync.replicas', '2'));
  // Two dumps in range 3, the second one running on through all of range 4 into range 5.
  at(3, 2);
  lines.push(header(s++), value('broker.id', '3'), routine(s++, 0), header(s++));
  while (lines.length < 5 * per + 2) lines.push(value(`key.${lines.length}`, String(lines.length)));
  // A marker in a record's folded line, and in a record no rule classifies (inside the scanner's runs).
  at(6, 3);
  lines.push(`${ts(s++)} ERROR failed (kafka.server.KafkaServer)`, `java.lang.Exception: ${MARKER} broken`, `\tat x`);
  lines.push(`${ts(s++)} INFO mentions ${MARKER} in passing (kafka.log.Log)`, '\tbroker.id = 9');
  // More marked lines in one range than a scan reports (the rest found by watchRange's search), two markers in one line.
  at(8, 0);
  // (Each followed by a line not wanted, so that each is found by a search, not handed over as a line after one.)
  for (let i = 0; i < 40; i++) lines.push(i % 3 === 2 ? `${header(s++)} ${MARKER}` : header(s++), routine(s++, i));
  at(10, per - 1);
  // The file's last line holds one, with no newline after it when `final`.
  lines.push(header(s++));
  return final ? lines : [...lines, value('broker.id', '4')];
}

describe.skipIf(!native)('the scan finds the lines holding a watcher\'s marker (native/scan_call.c)', () => {
  const marker = Buffer.from(MARKER);
  /** The starts of the lines of buf[from, to) holding the marker, one per line. */
  const reference = (buf: Buffer, from: number, to: number): number[] => {
    const out: number[] = [];
    for (let s = from; s < to;) {
      let nl = buf.indexOf(10, s);
      if (nl === -1 || nl >= to) nl = to;
      if (buf.subarray(s, nl).includes(marker)) out.push(s);
      s = nl + 1;
    }
    return out;
  };
  const scan = async (text: string, from: number, to: number, room: number, zookeeper = false) => {
    const buf = Buffer.from(text);
    const stride = zookeeper ? ZOOKEEPER_STRIDE : KAFKA_STRIDE;
    const info = new Int32Array(1 + 64 * stride);
    const nums = new Float64Array(64);
    const marks = new Int32Array(1 + room).fill(-7);
    const scanner = zookeeper ? native!.createZooKeeperScanner() : native!.createKafkaScanner();
    const async = zookeeper ? native!.scanZooKeeperAsync : native!.scanKafkaAsync;
    await async(scanner, buf, from, to, true, info, nums, marker, marks);
    const sync = new Int32Array(1 + room).fill(-7);
    (zookeeper ? native!.scanZooKeeper : native!.scanKafka)(scanner, buf, from, to, true, info, nums, marker, sync);
    expect(sync).toEqual(marks);
    return { buf, count: marks[0]!, starts: [...marks.subarray(1, 1 + Math.abs(marks[0]!))] };
  };

  it('reports each line holding it once, at its start: first line, last line without a newline, two in a line', async () => {
    const text = [header(0), routine(1, 0), `x ${MARKER}${MARKER} and ${MARKER}`, '', `\t${MARKER}`, header(2)].join('\n');
    const { buf, count, starts } = await scan(text, 0, Buffer.byteLength(text), 15);
    expect(starts).toEqual(reference(buf, 0, buf.length));
    expect(count).toBe(4);
    expect(starts[0]).toBe(0);
    expect(starts[3]).toBe(buf.length - header(2).length);
  });

  it('searches only buf[from, to): a line begun before `from` is found from `from`, a marker running past `to` is not', async () => {
    const text = `${header(0)}\nabc ${MARKER}\nend ${MARKER.slice(0, 5)}`;
    const buf = Buffer.from(text);
    const cut = buf.length - 5 + 3;
    const { starts } = await scan(text + MARKER.slice(5), 3, cut, 15);
    expect(starts).toEqual([3, header(0).length + 1]);
    expect(reference(buf, 3, cut)).toEqual(starts);
    const none = await scan(text, 0, 10, 15);
    expect(none.count).toBe(0);
  });

  it('says when more lines hold it than the array has room for (negative count), for both layouts', async () => {
    const text = Array.from({ length: 9 }, (_, i) => (i % 2 ? routine(i, i) : header(i))).join('\n');
    for (const zookeeper of [false, true]) {
      const full = await scan(text, 0, Buffer.byteLength(text), 3, zookeeper);
      expect(full.count).toBe(-3);
      expect(full.starts).toEqual(reference(full.buf, 0, full.buf.length).slice(0, 3));
      // Exactly as many as it has room for: complete.
      const exact = await scan(text, 0, Buffer.byteLength(text), 5, zookeeper);
      expect(exact.count).toBe(5);
      expect(exact.starts).toEqual(reference(exact.buf, 0, exact.buf.length));
    }
  });

  it('rejects a marker without an array to write to, or an empty one', () => {
    const buf = Buffer.from(header(0));
    const info = new Int32Array(1 + 8 * KAFKA_STRIDE);
    const nums = new Float64Array(8);
    const scanner = native!.createKafkaScanner();
    expect(() => native!.scanKafka(scanner, buf, 0, buf.length, true, info, nums, marker)).toThrow(/bad arguments/);
    expect(() => native!.scanKafka(scanner, buf, 0, buf.length, true, info, nums, Buffer.alloc(0), new Int32Array(4))).toThrow(/bad arguments/);
    expect(() => native!.scanKafka(scanner, buf, 0, buf.length, true, info, nums, marker, new Int32Array(1))).toThrow(/bad arguments/);
  });
});

describe('the byte path hands a watcher the lines it acts on, wherever the ranges begin and end', () => {
  const dir = tempDir('kforensics-line-watch-');
  const gates = [['JavaScript', null] as const, ...(native ? [['native', native] as const] : [])];

  for (const per of [8, 12, 64]) {
    for (const final of [true, false]) {
      it(`ranges of ${per} lines, file ${final ? 'without' : 'with'} a newline at its end`, async () => {
        const lines = placed(per, final).map(pad);
        const text = final ? lines.join('\n') : `${lines.join('\n')}\n`;
        const path = dir.write(`per-${per}-${final}/server.log`, text);
        const want = expected(lines);
        // Every kind of place is met: dumps running on past a range's end, several markers in a range.
        expect(want.length).toBeGreaterThan(60);
        for (const [name, scanners] of gates) {
          const gate = new KafkaGate(layout, classifier, scanners);
          expect(gate.native === undefined, name).toBe(scanners === null);
          expect(await watched(path, gate, per * WIDTH), name).toEqual(want);
        }
      });
    }
  }

  it('finds the same start-up configs as the line splitter, with ranges cut at the dumps\' first and last lines', async () => {
    const per = 8;
    const lines = placed(per).map(pad);
    const path = dir.write('configs/server.log', lines.join('\n'));
    const file: PlannedFile = { path, size: 0, kind: 'kafka-server', zookeeperServer: false, kafka: true };
    const family: Family = { key: 'broker', files: [file], nodes: { 'kafka-broker': 'broker-1', zookeeper: 'zk-1' }, defaultRole: 'kafka-broker' };
    const configs = async (textOnly: boolean) => {
      const scan = new StartupConfigScan(file);
      for await (const _ of familyEvents(family, {
        zone, classifier, all: true, light: true, keep: () => true, textOnly, onInput: () => undefined, watchLines: () => scan, chunk: per * WIDTH,
      }));
      return scan.finish().map((c) => ({ ...c, values: [...c.values] }));
    };
    const reference = await configs(true);
    // Range 0's first line, range 1's last line (values in range 2), range 3's two (the second running to range 5).
    expect(reference.slice(0, 4).map((c) => [c.line, c.brokerId, c.values.length])).toEqual([[1, '1', 3], [16, '2', 2], [27, '3', 1], [30, null, 12]]);
    expect(await configs(false)).toEqual(reference);
  });
});
