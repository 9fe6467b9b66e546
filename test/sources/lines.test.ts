import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { fileLineSource, LineSplitter, MAX_LINE_BYTES, pickLines, textLineSource } from '../../src/sources/lines.js';
import { tempDir } from '../helpers/tmp.js';

/** Feeds the bytes in the given pieces and returns every line plus the splitter's stats. */
function split(bytes: Buffer, cuts: readonly number[]): { lines: string[]; cutLines: number; nulLines: number } {
  const s = new LineSplitter();
  const lines: string[] = [];
  let from = 0;
  for (const at of [...cuts, bytes.length]) {
    // A fresh copy per chunk, then scribbled over: the splitter must not keep a reference.
    const chunk = Buffer.from(bytes.subarray(from, at));
    lines.push(...s.push(chunk));
    chunk.fill(0x41);
    from = at;
  }
  lines.push(...s.end());
  return { lines, ...s.stats };
}

const SAMPLE = [
  '[2018-04-02 10:48:05,071] WARN Session 0x0 for server null (org.apache.zookeeper.ClientCnxn)',
  'java.net.ConnectException: 拒绝连接',
  '\tat sun.nio.ch.SocketChannelImpl.checkConnect(Native Method)',
  '# Example: Offset 88 → 89 progression 🙂',
  '',
  '2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200',
  'follower：',
  'last line without newline',
];
// CRLF on some lines, LF on others, no final newline.
const SAMPLE_TEXT = SAMPLE.map((l, i) => (i === SAMPLE.length - 1 ? l : l + (i % 2 === 0 ? '\r\n' : '\n'))).join('');
const SAMPLE_BYTES = Buffer.from(SAMPLE_TEXT, 'utf8');

describe('LineSplitter', () => {
  it('sample holds multi-byte characters and CRLF', () => {
    expect(SAMPLE_BYTES.length).toBeGreaterThan(SAMPLE_TEXT.length);
    expect(SAMPLE_TEXT).toContain('\r\n');
  });

  it('splits in one chunk', () => {
    expect(split(SAMPLE_BYTES, []).lines).toEqual(SAMPLE);
  });

  it('gives the same lines whatever byte offset a chunk boundary falls on', () => {
    for (let i = 0; i <= SAMPLE_BYTES.length; i++) {
      expect(split(SAMPLE_BYTES, [i]).lines, `boundary at byte ${i}`).toEqual(SAMPLE);
    }
  });

  it('gives the same lines for every pair of boundaries', () => {
    const n = SAMPLE_BYTES.length;
    for (let i = 0; i <= n; i += 3) {
      for (let j = i; j <= n; j += 5) {
        expect(split(SAMPLE_BYTES, [i, j]).lines, `boundaries at ${i}, ${j}`).toEqual(SAMPLE);
      }
    }
  });

  it('handles one byte per chunk', () => {
    const cuts = Array.from({ length: SAMPLE_BYTES.length }, (_, i) => i);
    expect(split(SAMPLE_BYTES, cuts).lines).toEqual(SAMPLE);
  });

  it.each([
    ['LF', 'a\nb\n', ['a', 'b']],
    ['CRLF', 'a\r\nb\r\n', ['a', 'b']],
    ['no final newline', 'a\nb', ['a', 'b']],
    ['empty input', '', []],
    ['only a newline', '\n', ['']],
    ['blank lines kept', 'a\n\n\nb\n', ['a', '', '', 'b']],
    ['lone CR inside a line is kept', 'a\rb\n', ['a\rb']],
    ['CR only at the very end of a line is dropped', 'a\r\r\n', ['a\r']],
  ])('%s', (_name, text, expected) => {
    expect(split(Buffer.from(text), []).lines).toEqual(expected);
  });

  it('removes NUL runs (file truncated under a writer) and counts the lines', () => {
    const nul = '\0'.repeat(1804);
    const text = `[2025-04-24 08:34:07,663] INFO a (x)\n${nul}[2025-04-24 08:34:07,664] INFO b (x)\nmid\0\0dle\n`;
    const bytes = Buffer.from(text);
    for (const at of [0, 10, 40, 500, 1000, 1850, bytes.length - 3]) {
      const r = split(bytes, [at]);
      expect(r.lines).toEqual(['[2025-04-24 08:34:07,663] INFO a (x)', '[2025-04-24 08:34:07,664] INFO b (x)', 'middle']);
      expect(r.nulLines).toBe(2);
    }
  });

  it('cuts an over-long line to MAX_LINE_BYTES, counts it once, and keeps the next line', () => {
    const long = 'x'.repeat(MAX_LINE_BYTES + 12_345);
    const bytes = Buffer.from(`first\n${long}\nafter\n${'y'.repeat(10)}`);
    for (const cuts of [[], [7], [100_000, 600_000], [MAX_LINE_BYTES], [MAX_LINE_BYTES + 6], [MAX_LINE_BYTES + 6 + 12_345]]) {
      const r = split(bytes, cuts);
      expect(r.lines.map((l) => l.length), `cuts ${cuts.join(',')}`).toEqual([5, MAX_LINE_BYTES, 5, 10]);
      expect(r.cutLines).toBe(1);
    }
  });

  it('cuts an over-long last line without a newline', () => {
    const r = split(Buffer.from('a\n' + 'z'.repeat(MAX_LINE_BYTES + 1)), [1000]);
    expect(r.lines.map((l) => l.length)).toEqual([1, MAX_LINE_BYTES]);
    expect(r.cutLines).toBe(1);
  });

  it('keeps a 22,067-character line (the real java.class.path line) whole', () => {
    const line = `[2021-04-01 12:00:53,197] INFO Client environment:java.class.path=${'/lib/x.jar:'.repeat(2000)} (org.apache.zookeeper.ZooKeeper)`;
    const r = split(Buffer.from(line + '\n'), [4096, 8192, 16384]);
    expect(r.lines).toEqual([line]);
    expect(r.cutLines).toBe(0);
  });
});

describe('line sources', () => {
  const tmp = tempDir();

  async function collect(source: ReturnType<typeof textLineSource>): Promise<string[]> {
    const out: string[] = [];
    for await (const batch of source.batches()) out.push(...batch);
    return out;
  }

  it('textLineSource yields the lines of a string', async () => {
    expect(await collect(textLineSource('a\r\nb\nc'))).toEqual(['a', 'b', 'c']);
  });

  it('fileLineSource reads a file larger than one read buffer', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `[2022-10-05 17:05:39,${String(i % 1000).padStart(3, '0')}] INFO line ${i} é (x.Y)`);
    const path = tmp.write('big.log', lines.join('\n') + '\n');
    expect(await collect(fileLineSource(path))).toEqual(lines);
  });

  it('fileLineSource honours a byte limit (used for heads)', async () => {
    const path = tmp.write('limit.log', 'aaaa\nbbbb\ncccc\n');
    expect(await collect(fileLineSource(path, 7))).toEqual(['aaaa', 'bb']);
  });

  it('pickLines gives the numbered lines as fileLineSource does, and no others', async () => {
    // Lines spanning read buffers, a cut one, NULs, Latin-1 bytes, CRLF, a last line without a newline.
    const parts = [
      Buffer.from(SAMPLE_TEXT.slice(0, SAMPLE_TEXT.lastIndexOf('\n') + 1), 'utf8'),
      Buffer.from(`${'x'.repeat(70_000)}\r\n`),
      Buffer.from(`${'q'.repeat(MAX_LINE_BYTES + 5)}é\n`),
      Buffer.from('nul\0\0in it\n'),
      Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]),
      ...Array.from({ length: 30_000 }, (_, i) => Buffer.from(`[2022-10-05 17:05:39,000] INFO line ${i} (x.Y)\r\n`)),
      Buffer.from('the end, no newline'),
    ];
    const bytes = Buffer.concat(parts);
    for (const path of [tmp.write('pick.log', bytes), tmp.write('pick.log.gz', gzipSync(bytes))]) {
      const all = await collect(fileLineSource(path));
      // Single lines, a run of neighbours, lines spread over every buffer (the native path passes over the rest in C).
      const wanted = [all.length, 1, 3, 9, 10, 11, 12, 13, 14, 5000, 30_013, all.length + 5, ...Array.from({ length: 300 }, (_, i) => 20 + i * 97)];
      const got = new Map<number, string>();
      await pickLines(path, wanted, (n, text) => {
        expect(got.has(n)).toBe(false);
        got.set(n, text);
      });
      expect([...got.keys()].sort((a, b) => a - b)).toEqual(wanted.filter((n) => n <= all.length).sort((a, b) => a - b));
      for (const [n, text] of got) expect(text).toBe(all[n - 1]);
    }
  });

  it('fileLineSource exposes cut-line counts', async () => {
    const path = tmp.write('cut.log', 'q'.repeat(MAX_LINE_BYTES + 1) + '\nok\n');
    const source = fileLineSource(path);
    const lines = await collect(source);
    expect(lines[1]).toBe('ok');
    expect(source.stats.cutLines).toBe(1);
  });
});
