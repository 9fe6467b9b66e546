/**
 * Hostile input at the source level, where the CLI cannot stage it: a file
 * that grows while it is read, a 20 MB line against the memory bound, a
 * gzip cut short, Latin-1 and prefixed heads at sniff time.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { renderAccounting } from '../../src/cli/accounting.js';
import { fileLineSource, LineSplitter, MAX_LINE_BYTES } from '../../src/sources/lines.js';
import { planInputs } from '../../src/read/plan.js';
import { sniffLines } from '../../src/sources/sniff.js';
import { buildTimeline } from '../../src/read/build.js';
import { Zone } from '../../src/time/zone.js';
import { REPO } from '../commands/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('kforensics-sources-');
const RECORD = (i: number) =>
  `[2024-03-01 10:${String(Math.floor(i / 60000) % 60).padStart(2, '0')}:${String(Math.floor(i / 1000) % 60).padStart(2, '0')},${String(i % 1000).padStart(3, '0')}] INFO [ReplicaFetcherManager on broker 1] Removed fetcher for partitions Set(orders-${i % 6}) (kafka.server.ReplicaFetcherManager)`;

describe('a file that grows while it is read', () => {
  it('is read to the size seen when it was opened (golden: fixtures/bad/growing-file.expected.txt)', async () => {
    const path = tmp.write('growing/server.log', `${Array.from({ length: 20_000 }, (_, i) => RECORD(i)).join('\n')}\n`);
    const timeline = await buildTimeline([join(tmp.root, 'growing')], { zone: new Zone('UTC'), all: true });
    let events = 0;
    for await (const _ of timeline.events) {
      // The broker keeps writing while we read: after the first event, 5,000 more lines.
      if (events++ === 0) appendFileSync(path, `${Array.from({ length: 5_000 }, (_, i) => RECORD(20_000 + i)).join('\n')}\n`);
    }
    const inputs = timeline.inputs();
    expect(inputs[0]).toMatchObject({ linesRead: 20_000, records: 20_000, error: null });
    expect(events).toBe(20_000);
    const actual = `${renderAccounting(inputs).split(tmp.root).join('$TMP')}\n(the file held 25000 lines when the read ended; the 5000 written during it are left for the next run)\n`;
    const golden = join(REPO, 'fixtures/bad/growing-file.expected.txt');
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) writeFileSync(golden, actual);
    expect(actual).toBe(readFileSync(golden, 'utf8'));
  });
});

describe('a 20 MB line', () => {
  it('never holds more than MAX_LINE_BYTES of it: cut, counted with its line number, and the next lines still split', () => {
    const s = new LineSplitter();
    const chunk = Buffer.alloc(256 << 10, 0x61);
    const lines: string[] = [...s.push(Buffer.from(`${RECORD(0)}\n[2024-03-01 10:00:01,000] INFO `))];
    for (let sent = 0; sent < 20 << 20; sent += chunk.length) {
      const out = s.push(chunk);
      expect(out).toEqual([]);
      // The carried partial line is bounded whatever arrives.
      expect((s as unknown as { carry: Buffer }).carry.length).toBeLessThanOrEqual(MAX_LINE_BYTES);
    }
    lines.push(...s.push(Buffer.from(` (kafka.Foo)\n${RECORD(2)}\n`)), ...s.end());
    expect(lines).toHaveLength(3);
    expect(lines[1]!.length).toBe(MAX_LINE_BYTES);
    expect(lines[2]).toBe(RECORD(2));
    expect(s.stats.cutLines).toBe(1);
    expect(s.stats.cutAt).toEqual([2]);
  });

  it('numbers a cut line by its own place, wherever it falls in a chunk (and a line carried past a chunk\'s end)', () => {
    const long = 'x'.repeat(MAX_LINE_BYTES + 10);
    const s = new LineSplitter();
    // Lines 1–3 in one chunk, the long one among them; line 5 is long and carried over the chunk's end.
    expect(s.push(Buffer.from(`a\n${long}\nb\nc\n${long}`))).toHaveLength(4);
    expect(s.push(Buffer.from('\nd\n'))).toHaveLength(2);
    expect(s.stats.cutAt).toEqual([2, 5]);
    const picked = new LineSplitter();
    const wanted = { lines: [3], next: 0 };
    const taken: number[] = [];
    picked.pick(Buffer.from(`a\n${long}\nb\nc\n${long}`), wanted, (n) => taken.push(n));
    picked.pick(Buffer.from('\nd\n'), wanted, (n) => taken.push(n));
    expect(taken).toEqual([3]);
    expect(picked.stats.cutAt).toEqual([5]);
  });

  it('is cut on a character boundary when the cut falls inside a multi-byte character', () => {
    const s = new LineSplitter();
    const text = `${'a'.repeat(MAX_LINE_BYTES - 1)}é${'b'.repeat(10)}\nnext\n`;
    const lines = [...s.push(Buffer.from(text, 'utf8')), ...s.end()];
    expect(lines[0]).toBe('a'.repeat(MAX_LINE_BYTES - 1));
    expect(lines[1]).toBe('next');
    expect(s.stats.latin1Lines).toBe(0);
  });
});

describe('a gzip cut short', () => {
  it('yields every line before the damage, the partial last one included, then the error', async () => {
    const full = gzipSync(Buffer.from(`${Array.from({ length: 3000 }, (_, i) => RECORD(i)).join('\n')}\n`));
    const path = tmp.write('cut/server.log.gz', full.subarray(0, Math.floor(full.length * 0.6)));
    const lines: string[] = [];
    await expect((async () => {
      for await (const batch of fileLineSource(path).batches()) lines.push(...batch);
    })()).rejects.toThrow(/unexpected end of file/);
    expect(lines.length).toBeGreaterThan(1000);
    expect(lines.slice(0, -1)).toEqual(Array.from({ length: lines.length - 1 }, (_, i) => RECORD(i)));
    expect(RECORD(lines.length - 1).startsWith(lines[lines.length - 1]!)).toBe(true);
  });

  it('is still sniffed and planned from the lines before the damage', async () => {
    const plan = await planInputs([join(tmp.root, 'cut')]);
    expect(plan.skipped).toEqual([]);
    expect(plan.families[0]!.files[0]).toMatchObject({ kind: 'kafka-server' });
  });
});

describe('encodings and prefixes at sniff time', () => {
  it('takes Latin-1 text as text, and random bytes as binary', () => {
    const latin1 = Buffer.from(`${RECORD(0)}\njava.net.ConnectException: Connexion refusée\n`.repeat(20), 'latin1');
    const s = new LineSplitter();
    const lines = [...s.push(latin1), ...s.end()];
    expect(lines[1]).toBe('java.net.ConnectException: Connexion refusée');
    expect(sniffLines(lines)).toMatchObject({ kind: 'kafka-server' });
    const binary = readFileSync(join(REPO, 'fixtures/bad/binary.bin'));
    const b = new LineSplitter();
    expect(sniffLines([...b.push(binary), ...b.end()])).toEqual({ kind: null, reason: 'binary content (not text)' });
  });

  it.each([
    ['docker-compose', (l: string) => `kafka_1  | ${l}`],
    ['rfc3339', (l: string) => `2019-04-11T12:32:24.676800004Z ${l}`],
    ['supervisor', (l: string) => `[  411514] [   104.777836] [service_kafka]                     [I] ${l}`],
    ['iso646-brackets', (l: string) => l.replace('[', 'Ä').replace(']', 'Å')],
  ])('recognises a %s head and says so', (prefix, add) => {
    expect(sniffLines([RECORD(0), RECORD(1), RECORD(2)].map(add))).toEqual({ kind: 'kafka-server', zookeeperServer: false, kafka: true, prefix });
  });

  it('plans a prefixed file with its prefix and a sample line, and names the node from the stripped lines', async () => {
    const dir = join(tmp.root, 'compose');
    tmp.write('compose/kafka.log', `${[0, 1, 2].map((i) => `kafka_1      | ${RECORD(i)}`).join('\n')}\n`);
    const plan = await planInputs([dir]);
    const file = plan.families[0]!.files[0]!;
    expect(file).toMatchObject({ kind: 'kafka-server', prefix: 'docker-compose' });
    expect(plan.families[0]!.nodes['kafka-broker']).toBe('broker-1');
  });
});
