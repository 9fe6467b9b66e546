import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { detectEncoding, readRawChunks, readUtf8Chunks } from '../../src/sources/open.js';
import { fileLineSource } from '../../src/sources/lines.js';
import { tempDir } from '../helpers/tmp.js';

const TEXT = "[Configuring] 'port' in '/opt/kafka/config/server.properties'\r\n" +
  '[2024-04-09 10:00:00,123] INFO KafkaConfig values: \r\n\tbroker.id = 1001\r\n (kafka.server.KafkaConfig)\r\n' +
  'java.net.ConnectException: 拒绝连接 🙂\r\n';
const LINES = TEXT.split('\r\n').slice(0, -1);

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.alloc(le.length);
  for (let i = 0; i < le.length; i += 2) {
    be[i] = le[i + 1]!;
    be[i + 1] = le[i]!;
  }
  return be;
}

const BOM_LE = Buffer.from([0xff, 0xfe]);
const BOM_BE = Buffer.from([0xfe, 0xff]);
const BOM_8 = Buffer.from([0xef, 0xbb, 0xbf]);

async function text(path: string): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of readUtf8Chunks(path)) parts.push(Buffer.from(c));
  return Buffer.concat(parts).toString('utf8');
}

async function lines(path: string): Promise<string[]> {
  const out: string[] = [];
  for await (const b of fileLineSource(path).batches()) out.push(...b);
  return out;
}

describe('detectEncoding', () => {
  it.each([
    ['UTF-16LE BOM', Buffer.concat([BOM_LE, Buffer.from('[Config', 'utf16le')]), 'utf16le', 2],
    ['UTF-16BE BOM', Buffer.concat([BOM_BE, utf16be('[Config')]), 'utf16be', 2],
    ['UTF-8 BOM', Buffer.concat([BOM_8, Buffer.from('[2024')]), 'utf8', 3],
    ['UTF-16LE without BOM', Buffer.from('2024-04-09 14:23:20,259 [myid:] - INFO', 'utf16le'), 'utf16le', 0],
    ['UTF-16BE without BOM', utf16be('2024-04-09 14:23:20,259 [myid:] - INFO'), 'utf16be', 0],
    ['plain ASCII', Buffer.from('[2024-04-09 14:23:20,259] INFO x (y)'), 'utf8', 0],
    ['UTF-8 with CJK', Buffer.from('java.net.ConnectException: 拒绝连接 拒绝连接 拒绝连接'), 'utf8', 0],
    ['empty', Buffer.alloc(0), 'utf8', 0],
  ])('%s', (_name, head, encoding, bomLength) => {
    expect(detectEncoding(head)).toEqual({ encoding, bomLength });
  });
});

describe('readUtf8Chunks / fileLineSource', () => {
  const tmp = tempDir();

  it.each([
    ['UTF-8', Buffer.from(TEXT)],
    ['UTF-8 with BOM', Buffer.concat([BOM_8, Buffer.from(TEXT)])],
    ['UTF-16LE with BOM (PowerShell redirect)', Buffer.concat([BOM_LE, Buffer.from(TEXT, 'utf16le')])],
    ['UTF-16LE without BOM', Buffer.from(TEXT, 'utf16le')],
    ['UTF-16BE with BOM', Buffer.concat([BOM_BE, utf16be(TEXT)])],
    ['UTF-16BE without BOM', utf16be(TEXT)],
  ])('decodes %s, dropping the BOM', async (name, bytes) => {
    const path = tmp.write(`${name.replace(/\W+/g, '_')}.log`, bytes);
    expect(await text(path)).toBe(TEXT);
    expect(await lines(path)).toEqual(LINES);
  });

  it.each([
    ['UTF-8', (t: string) => Buffer.from(t)],
    ['UTF-16LE with BOM', (t: string) => Buffer.concat([BOM_LE, Buffer.from(t, 'utf16le')])],
  ])('decodes a gzipped %s file transparently', async (name, encode) => {
    const path = tmp.write(`server.log.2022-10-05-17.${name.replace(/\W+/g, '_')}.gz`, gzipSync(encode(TEXT)));
    expect(await lines(path)).toEqual(LINES);
  });

  it('decodes a UTF-16 file spanning many read chunks, characters split across them', async () => {
    const many = Array.from({ length: 30_000 }, (_, i) => `[2024-04-09 10:00:00,000] INFO 拒绝 ${i} 🙂 (x.Y)`);
    const body = many.join('\r\n') + '\r\n';
    const plain = tmp.write('big16.log', Buffer.concat([BOM_LE, Buffer.from(body, 'utf16le')]));
    // gzip output chunks have arbitrary (odd) lengths.
    const gz = tmp.write('big16.log.gz', gzipSync(Buffer.concat([BOM_LE, Buffer.from(body, 'utf16le')])));
    expect(await lines(plain)).toEqual(many);
    expect(await lines(gz)).toEqual(many);
  });

  it('reads raw bytes of a .gz file decompressed, and of a plain file as is', async () => {
    const gz = tmp.write('raw.log.gz', gzipSync(Buffer.from('hello\n')));
    const parts: Buffer[] = [];
    for await (const c of readRawChunks(gz)) parts.push(Buffer.from(c));
    expect(Buffer.concat(parts).toString()).toBe('hello\n');
  });

  it('fails on damaged gzip data rather than returning garbage', async () => {
    const bad = gzipSync(Buffer.from('x'.repeat(10_000)));
    const path = tmp.write('bad.log.gz', bad.subarray(0, bad.length - 20));
    await expect(lines(path)).rejects.toThrow();
  });
});
