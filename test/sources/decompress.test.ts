/**
 * Compressed inputs, recognised by their first bytes: each format reads to
 * the same records as the plain file, whatever the file is called, and a
 * damaged stream is read up to the damage and said (exit 1). The compressed
 * copies are made by the formats' own tools when the test runs; a tool that
 * is missing skips its format, saying so.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compressionOf } from '../../src/sources/decompress.js';
import { runCli } from '../commands/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('kforensics-decompress-');

const has = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

/** The format's tool and the arguments that write `file` compressed to stdout. */
const FORMATS = [
  { name: 'gzip', tool: 'gzip', args: ['-c'], ext: 'gz' },
  { name: 'xz', tool: 'xz', args: ['-c'], ext: 'xz' },
  { name: 'bzip2', tool: 'bzip2', args: ['-c'], ext: 'bz2' },
  { name: 'zstd', tool: 'zstd', args: ['-q', '-c'], ext: 'zst' },
  { name: 'lz4', tool: 'lz4', args: ['-q', '-c', '-B4'], ext: 'lz4' },
  { name: 'lz4 with linked blocks', tool: 'lz4', args: ['-q', '-c', '-B4', '-BD'], ext: 'lz4' },
] as const;

// Enough lines for many blocks of every format (bzip2's are 900 kB), with events and a stack trace.
const lines: string[] = [];
for (let i = 0; i < 15_000; i++) {
  const t = `2024-02-23 07:${String(Math.floor(i / 1000) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},${String(i % 1000).padStart(3, '0')}`;
  if (i % 500 === 0) {
    lines.push(`[${t}] INFO [ReplicaFetcherManager on broker 2] Removed fetcher for partitions Set(orders-${i % 7}) (kafka.server.ReplicaFetcherManager)`);
  } else if (i % 997 === 0) {
    lines.push(`[${t}] WARN [ReplicaFetcher replicaId=2, leaderId=1, fetcherId=0] Error in response for fetch request (kafka.server.ReplicaFetcherThread)`);
    lines.push('java.io.IOException: Connection to 1 was disconnected before the response was read');
    lines.push('\tat org.apache.kafka.clients.NetworkClientUtils.sendAndReceive(NetworkClientUtils.java:100)');
  } else {
    lines.push(`[${t}] INFO [Log partition=orders-${i % 7}, dir=/var/lib/kafka] Rolled new log segment at offset ${i} (kafka.log.Log)`);
  }
}
const plain = tmp.write('plain/server.log', `${lines.join('\n')}\n`);

function compress(tool: string, args: readonly string[], to: string): string {
  writeFileSync(to, execFileSync(tool, [...args, plain], { maxBuffer: 64 << 20 }));
  return to;
}

/** The timeline JSON with the input's file name taken out. */
function timeline(path: string): { status: number; json: string; stderr: string } {
  const r = runCli(['timeline', path, '--tz', 'UTC', '--all', '--json']);
  return { status: r.status, json: r.stdout.split(path).join('FILE'), stderr: r.stderr };
}

describe('compression is recognised by its first bytes', () => {
  it('knows each format by its magic bytes, and plain text by none', () => {
    expect(compressionOf(Buffer.from([0x1f, 0x8b, 8, 0]))).toBe('gzip');
    expect(compressionOf(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0]))).toBe('xz');
    expect(compressionOf(Buffer.from('BZh91AY'))).toBe('bzip2');
    expect(compressionOf(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))).toBe('zstd');
    expect(compressionOf(Buffer.from([0x04, 0x22, 0x4d, 0x18]))).toBe('lz4');
    expect(compressionOf(Buffer.from('[2024-02-23 07:47:50,149] INFO'))).toBeNull();
    // "BZh" followed by no block size is text, not bzip2.
    expect(compressionOf(Buffer.from('BZh is not'))).toBeNull();
    expect(compressionOf(Buffer.alloc(0))).toBeNull();
  });
});

/** The plain file's timeline, read once for every format. */
let plainTimeline: ReturnType<typeof timeline> | undefined;

describe.each(FORMATS)('$name', ({ name, tool, args, ext }) => {
  const missing = !has(tool);
  it.skipIf(missing)(`reads to the same timeline as the plain file (needs ${tool})`, () => {
    const reference = (plainTimeline ??= timeline(plain));
    expect(reference.status, reference.stderr).toBe(0);
    const named = compress(tool, args, join(tmp.root, `server.log.1.${ext}`));
    const got = timeline(named);
    expect(got.status, got.stderr).toBe(0);
    expect(got.json).toBe(reference.json);
    // Renamed without its suffix: still read, by its content.
    const renamed = compress(tool, args, join(tmp.root, `renamed-${ext}-${name.length}.log`));
    const again = timeline(renamed);
    expect(again.status, again.stderr).toBe(0);
    expect(again.json).toBe(reference.json);
  });

  it.skipIf(missing)(`a truncated stream is read up to the damage, which is said (needs ${tool})`, () => {
    const whole = readFileSync(compress(tool, args, join(tmp.root, `whole-${ext}-${name.length}`)));
    const cut = tmp.write(`cut/server.log.${ext}.${name.length}`, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const r = runCli(['timeline', cut, '--tz', 'UTC', '--all', '--json']);
    expect(r.status).toBe(1);
    const input = JSON.parse(r.stdout).inputs[0];
    const formatName = name.startsWith('lz4') ? 'lz4' : name;
    expect(input.error).toContain(`damaged ${formatName} data`);
    expect(input.error).toContain(`${tool} -t`);
    // Some lines before the damage were read, and not more than the file has.
    expect(input.linesRead).toBeGreaterThan(0);
    expect(input.linesRead).toBeLessThan(lines.length);
    expect(r.stderr).toContain('could not be read in full');
  });
});
