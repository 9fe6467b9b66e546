import { closeSync, readSync } from 'node:fs';
import { pipeline } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
import { evidenceStream, openEvidenceSync } from './open.js';

/** Bytes fed one at a time to find where trailing garbage starts. */
const SALVAGE_SPAN = 256 << 10;

/** Data that is not gzip after the end of the gzip data: named by where it starts. */
export class TrailingGarbage extends Error {
  readonly code = 'Z_DATA_ERROR';
  constructor(readonly offset: number) {
    super(`data that is not gzip from byte ${offset} on, after the end of the gzip data (trailing garbage): everything before it was read`);
  }
}

/**
 * The inflated bytes of a gzip file (all its members). When the data breaks
 * off (trailing garbage, a damaged member), zlib drops the output of the
 * read that met the damage: the file is then inflated again, the bytes from
 * that read on fed one at a time, so every byte that inflates is handed out
 * before the error. The error then says where the damage starts.
 */
export async function* gunzipEvidence(path: string, chunkSize = 256 << 10): AsyncGenerator<Buffer> {
  const first = createGunzip({ chunkSize });
  pipeline(evidenceStream(path, chunkSize), first, () => undefined);
  let delivered = 0;
  try {
    for await (const chunk of first as AsyncIterable<Buffer>) {
      delivered += chunk.length;
      yield chunk;
    }
    return;
  } catch (e) {
    // A stream cut short (unexpected end of file) lost nothing; damage inside the data did.
    if ((e as NodeJS.ErrnoException).code !== 'Z_DATA_ERROR') throw e;
    const salvaged = await salvage(path, first.bytesWritten, delivered);
    for (const chunk of salvaged.chunks) yield chunk;
    // "incorrect header check": what follows a member is no gzip member.
    if (salvaged.garbageAt !== undefined && /incorrect header/i.test((e as Error).message)) throw new TrailingGarbage(salvaged.garbageAt);
    throw e;
  } finally {
    first.destroy();
  }
}

/** Inflates the file again; output past `skip` bytes from the bytes at `from` on, fed one by one until the error. */
async function salvage(path: string, from: number, skip: number): Promise<{ chunks: Buffer[]; garbageAt?: number }> {
  const g: Gunzip = createGunzip();
  const chunks: Buffer[] = [];
  let produced = 0;
  let failed = false;
  g.on('data', (b: Buffer) => {
    const start = Math.max(0, skip - produced);
    produced += b.length;
    if (start < b.length) chunks.push(b.subarray(start));
  });
  g.on('error', () => { failed = true; });
  const write = (b: Buffer): Promise<void> => new Promise((resolve) => {
    const done = (): void => { g.off('error', done); resolve(); };
    g.once('error', done);
    g.write(b, () => done());
  });
  const fd = openEvidenceSync(path);
  try {
    const buf = Buffer.allocUnsafe(256 << 10);
    for (let p = 0; p < from && !failed;) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, from - p), p);
      if (n <= 0) break;
      await write(Buffer.from(buf.subarray(0, n)));
      p += n;
    }
    const one = Buffer.allocUnsafe(1);
    for (let p = from; p < from + SALVAGE_SPAN && !failed; p++) {
      if (readSync(fd, one, 0, 1, p) !== 1) break;
      await write(Buffer.from(one));
      // A member's header is judged on its first two bytes: the error comes with the second.
      if (failed) return { chunks, garbageAt: Math.max(from, p - 1) };
    }
    return { chunks };
  } finally {
    closeSync(fd);
    g.destroy();
  }
}
