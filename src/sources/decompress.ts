import { closeSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pipeline, Readable } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
import { openEvidenceSync } from './open.js';

/**
 * Compressed inputs, recognised by their first bytes whatever their name
 * (logrotate's `compresscmd` may be any of these; operators rename files):
 *
 * - gzip: Node's zlib (inflates on libuv's pool);
 * - xz: `xz-decompress` (liblzma's xz-embedded compiled to WebAssembly, shipped in the package);
 * - bzip2: `unbzip2-stream` (pure JavaScript);
 * - zstd: `fzstd` (pure JavaScript; Node 20's zlib has none);
 * - lz4: the frame format parsed here, each block decoded by `lz4js` (pure JavaScript).
 *
 * Every decoder streams: memory stays that of one block whatever the size.
 * A damaged or truncated stream gives the bytes decoded before the damage,
 * then fails with a {@link DamagedStream} that says which format and what to
 * run to check it.
 */
export type Compression = 'gzip' | 'xz' | 'bzip2' | 'zstd' | 'lz4';

/** Bytes {@link compressionOf} needs. */
export const MAGIC_BYTES = 6;

export function compressionOf(head: Uint8Array): Compression | null {
  const b = (i: number): number => head[i] ?? -1;
  if (b(0) === 0x1f && b(1) === 0x8b) return 'gzip';
  if (b(0) === 0xfd && b(1) === 0x37 && b(2) === 0x7a && b(3) === 0x58 && b(4) === 0x5a && b(5) === 0x00) return 'xz';
  // `BZh` then the block size digit 1-9.
  if (b(0) === 0x42 && b(1) === 0x5a && b(2) === 0x68 && b(3) >= 0x31 && b(3) <= 0x39) return 'bzip2';
  if (b(0) === 0x28 && b(1) === 0xb5 && b(2) === 0x2f && b(3) === 0xfd) return 'zstd';
  if (b(0) === 0x04 && b(1) === 0x22 && b(2) === 0x4d && b(3) === 0x18) return 'lz4';
  return null;
}

/** The tool that tests a stream of each format, for the damage message. */
const CHECK: Record<Compression, string> = {
  gzip: 'gzip -t', xz: 'xz -t', bzip2: 'bzip2 -t', zstd: 'zstd -t', lz4: 'lz4 -t',
};

/** A compressed stream that ended early or holds bytes its format does not allow. */
export class DamagedStream extends Error {
  constructor(readonly compression: Compression, detail: string) {
    super(`damaged ${compression} data (${detail}); try '${CHECK[compression]}' on it`);
  }
}

/**
 * How a decoding failure reads to a user, or undefined when the error is not
 * one (a read error of the file itself): zlib's errors and {@link DamagedStream}.
 */
export function describeDamage(e: unknown): string | undefined {
  if (e instanceof DamagedStream) return e.message;
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'Z_BUF_ERROR' || err?.code === 'Z_DATA_ERROR' || /unexpected end of file|incorrect header/i.test(err?.message ?? '')) {
    return `damaged gzip data (${err.message}); try 'gzip -t' on it`;
  }
  return undefined;
}

/** Suffixes compressors add to a file name, to find the log's own name for rotation. */
export const COMPRESSED_SUFFIX = /(?:\.(?:gz|xz|bz2|zst|zstd|lz4))+$/;

const known = new Map<string, Compression | null>();

/**
 * The compression of a file on disk from its first bytes, remembered per
 * path (asked on every open of the file). Null for a plain file, or one that
 * cannot be read (its reading then says why).
 */
export function fileCompression(path: string): Compression | null {
  const seen = known.get(path);
  if (seen !== undefined) return seen;
  let c: Compression | null = null;
  try {
    const fd = openEvidenceSync(path);
    try {
      const head = Buffer.alloc(MAGIC_BYTES);
      c = compressionOf(head.subarray(0, readSync(fd, head, 0, MAGIC_BYTES, 0)));
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
  known.set(path, c);
  return c;
}

/** Records what a file's first bytes said, read while its input was expanded (archive.ts): one read fewer per file. */
export function rememberCompression(path: string, c: Compression | null): void {
  known.set(path, c);
}

/**
 * The decoded bytes of a compressed stream. The bytes decoded before a
 * damage are all handed out, then the stream fails: zlib's errors as zlib
 * gives them (readFailure in plan.ts words them), trailing garbage after
 * gzip data as {@link TrailingGarbage}, the other formats' as
 * {@link DamagedStream}; read errors of the input as they are. `file` is the
 * file on disk `raw` reads from, when it is one: a damaged gzip file is then
 * inflated again to salvage what zlib dropped (see {@link gunzipChunks}).
 */
export function decodeStream(raw: Readable, c: Compression, file?: string): Readable {
  // A high-water mark of one byte: the decoder is asked for more only once what it gave is taken, so a
  // damage found later (which destroys the stream, and drops what it holds) loses nothing decoded before it.
  return Readable.from(decodeChunks(raw, c, file), { objectMode: false, highWaterMark: 1 });
}

async function* decodeChunks(raw: Readable, c: Compression, file?: string): AsyncGenerator<Buffer> {
  try {
    if (c === 'gzip') {
      yield* gunzipChunks(raw, file);
      return;
    }
    if (c === 'xz') {
      // The WebAssembly decoder speaks WHATWG streams.
      const reader = new (xz().XzReadableStream)(Readable.toWeb(raw) as ReadableStream<Uint8Array>).getReader();
      try {
        for (;;) {
          let r: Awaited<ReturnType<typeof reader.read>>;
          try {
            r = await reader.read();
          } catch (e) {
            throw asDamage(c, e);
          }
          if (r.done) return;
          yield Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
        }
      } finally {
        reader.cancel().catch(() => undefined);
      }
    }
    const decoder = syncDecoder(c);
    const drain = (): Buffer[] => decoder.out.splice(0);
    for await (const chunk of raw as AsyncIterable<Buffer>) {
      try {
        decoder.push(chunk);
      } catch (e) {
        yield* drain();
        throw asDamage(c, e);
      }
      yield* drain();
    }
    try {
      decoder.end();
    } catch (e) {
      yield* drain();
      throw asDamage(c, e);
    }
    yield* drain();
  } finally {
    raw.destroy();
  }
}

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
 * The inflated bytes of gzip data (all its members). When the data breaks
 * off (trailing garbage, a damaged member), zlib drops the output of the
 * inflate call that met the damage: when the data is a file on disk, it is
 * then inflated again, the bytes from that point on fed one at a time, so
 * every byte that inflates is handed out before the error, and the error
 * says where the damage starts.
 */
async function* gunzipChunks(raw: Readable, file: string | undefined): AsyncGenerator<Buffer> {
  const gunzip = createGunzip({ chunkSize: 256 << 10 });
  // pipeline (not pipe): a read error of the file reaches the gunzip stream.
  pipeline(raw, gunzip, () => undefined);
  let delivered = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      delivered += chunk.length;
      yield chunk;
    }
  } catch (e) {
    // A stream cut short (unexpected end of file) lost nothing; damage inside the data did.
    if (file === undefined || (e as NodeJS.ErrnoException).code !== 'Z_DATA_ERROR') throw e;
    const salvaged = await salvageGzip(file, gunzip.bytesWritten, delivered);
    yield* salvaged.chunks;
    // "incorrect header check": what follows a member is no gzip member.
    if (salvaged.garbageAt !== undefined && /incorrect header/i.test((e as Error).message)) throw new TrailingGarbage(salvaged.garbageAt);
    throw e;
  } finally {
    gunzip.destroy();
  }
}

/** Inflates the file again; output past `skip` bytes from the bytes at `from` on, fed one by one until the error. */
async function salvageGzip(path: string, from: number, skip: number): Promise<{ chunks: Buffer[]; garbageAt?: number }> {
  const g: Gunzip = createGunzip();
  const chunks: Buffer[] = [];
  let produced = 0;
  let failed = false;
  g.on('data', (b: Buffer) => {
    const start = Math.max(0, skip - produced);
    produced += b.length;
    if (start < b.length) chunks.push(b.subarray(start));
  });
  g.on('error', () => {
    failed = true;
  });
  const write = (b: Buffer): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        g.off('error', done);
        resolve();
      };
      g.once('error', done);
      g.write(b, () => done());
    });
  const fd = openEvidenceSync(path);
  try {
    const buf = Buffer.allocUnsafe(256 << 10);
    for (let p = 0; p < from && !failed; ) {
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

function asDamage(c: Compression, e: unknown): Error {
  if (e instanceof DamagedStream) return e;
  const err = e as NodeJS.ErrnoException;
  // A read error of the file itself (permission, vanished) is not damage.
  if (err?.syscall) return err;
  let detail = err?.message ?? String(e);
  if (c === 'xz' && /error code \d+/.test(detail)) detail = 'the stream ends early or its data is corrupt';
  if (c === 'bzip2' && /undefined|null|unexpected/i.test(detail)) detail = 'the stream ends early or its data is corrupt';
  if (detail === 'unexpected EOF') detail = 'the stream ends early';
  return new DamagedStream(c, detail);
}

// The decoders load when a stream of theirs is first met: a run over plain
// logs pays nothing for them (the WebAssembly one alone takes tens of ms).
const require = createRequire(import.meta.url);
const lazy = <T>(name: string): (() => T) => {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
};
const fzstd = lazy<typeof import('fzstd')>('fzstd');
const xz = lazy<typeof import('xz-decompress')>('xz-decompress');
const unbzip2 = lazy<() => NodeJS.ReadWriteStream>('unbzip2-stream');
const lz4 = lazy<{
  decompressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, dIndex: number): number;
}>('lz4js');

/** A decoder that works as its input arrives: what it decoded is in `out`, even when push or end throws. */
interface SyncDecoder {
  readonly out: Buffer[];
  push(chunk: Buffer): void;
  end(): void;
}

function syncDecoder(c: Exclude<Compression, 'gzip' | 'xz'>): SyncDecoder {
  switch (c) {
    case 'zstd': return zstdDecoder();
    case 'bzip2': return bzip2Decoder();
    case 'lz4': return new Lz4Frames();
  }
}

function zstdDecoder(): SyncDecoder {
  const out: Buffer[] = [];
  // fzstd hands out views of its own window: copy them before they are overwritten.
  const d = new (fzstd().Decompress)((data) => {
    if (data.length > 0) out.push(Buffer.from(data));
  });
  return { out, push: (chunk) => d.push(chunk), end: () => d.push(new Uint8Array(0), true) };
}

/**
 * unbzip2-stream is a classic (through) stream: write() decodes and emits
 * data and errors synchronously, so it is driven here as a function.
 */
function bzip2Decoder(): SyncDecoder {
  const out: Buffer[] = [];
  let failure: unknown;
  const bz = unbzip2()();
  bz.on('data', (data: Buffer) => out.push(data));
  bz.on('error', (e: unknown) => {
    failure ??= e;
  });
  const check = (): void => {
    if (failure !== undefined) throw failure;
  };
  return {
    out,
    push: (chunk) => {
      bz.write(chunk);
      check();
    },
    end: () => {
      bz.end();
      check();
    },
  };
}

const LZ4_FRAME = 0x184d2204;
const LZ4_WINDOW = 64 << 10;
const LZ4_BLOCK_MAX: Record<number, number> = { 4: 64 << 10, 5: 256 << 10, 6: 1 << 20, 7: 4 << 20 };

/**
 * The LZ4 frame format (what the `lz4` tool and logrotate write): a header,
 * then blocks, each compressed or stored, up to an end mark; frames may
 * follow one another, and skippable frames are skipped. Blocks that depend
 * on the one before (`lz4 -BD`) decode against the last 64 KiB of output.
 * Checksums are skipped, not checked: damage shows as a block that does not
 * decode to its stated bounds.
 */
class Lz4Frames implements SyncDecoder {
  readonly out: Buffer[] = [];
  private pending: Buffer = Buffer.alloc(0);
  private state: 'magic' | 'header' | 'block' | 'end' = 'magic';
  private independent = true;
  private blockChecksum = false;
  private contentChecksum = false;
  private blockMax = 4 << 20;
  private window: Buffer = Buffer.alloc(0);
  private skip = 0;

  push(chunk: Buffer): void {
    this.pending = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.parse();
  }

  end(): void {
    if (this.pending.length > 0 || this.skip > 0 || this.state !== 'magic') throw new DamagedStream('lz4', 'the stream ends early');
  }
  private takeBytes(n: number): Buffer | undefined {
    if (this.pending.length < n) return undefined;
    const b = this.pending.subarray(0, n);
    this.pending = this.pending.subarray(n);
    return b;
  }

  private parse(): void {
    for (;;) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, this.pending.length);
        this.pending = this.pending.subarray(n);
        this.skip -= n;
        if (this.skip > 0) return;
      }
      switch (this.state) {
        case 'magic': {
          if (this.pending.length < 4) return;
          const magic = this.pending.readUInt32LE(0);
          if (magic === LZ4_FRAME) {
            this.pending = this.pending.subarray(4);
            this.state = 'header';
          } else if ((magic & 0xfffffff0) === 0x184d2a50) {
            if (this.pending.length < 8) return;
            this.skip = this.pending.readUInt32LE(4);
            this.pending = this.pending.subarray(8);
          } else {
            throw new DamagedStream('lz4', magic === 0x184c2102 ? 'legacy lz4 format (lz4 -l), not read: decompress it with lz4 -d' : 'not an lz4 frame where one should start');
          }
          break;
        }
        case 'header': {
          if (this.pending.length < 2) return;
          const flg = this.pending[0]!;
          const bd = this.pending[1]!;
          const length = 3 + (flg & 0x08 ? 8 : 0) + (flg & 0x01 ? 4 : 0);
          if (this.pending.length < length) return;
          if ((flg >> 6) !== 1) throw new DamagedStream('lz4', `frame version ${flg >> 6}`);
          this.independent = (flg & 0x20) !== 0;
          this.blockChecksum = (flg & 0x10) !== 0;
          this.contentChecksum = (flg & 0x04) !== 0;
          this.blockMax = LZ4_BLOCK_MAX[(bd >> 4) & 7] ?? 4 << 20;
          this.window = Buffer.alloc(0);
          this.pending = this.pending.subarray(length);
          this.state = 'block';
          break;
        }
        case 'block': {
          if (this.pending.length < 4) return;
          const word = this.pending.readUInt32LE(0);
          if (word === 0) {
            this.pending = this.pending.subarray(4);
            this.state = 'end';
            break;
          }
          const stored = (word & 0x80000000) !== 0;
          const size = word & 0x7fffffff;
          if (size > this.blockMax) throw new DamagedStream('lz4', `a block of ${size} bytes in a frame of ${this.blockMax}-byte blocks`);
          const whole = 4 + size + (this.blockChecksum ? 4 : 0);
          if (this.pending.length < whole) return;
          const data = this.pending.subarray(4, 4 + size);
          this.pending = this.pending.subarray(whole);
          this.emit1(stored ? Buffer.from(data) : this.decode(data));
          break;
        }
        case 'end': {
          if (this.contentChecksum) {
            if (!this.takeBytes(4)) return;
          }
          this.state = 'magic';
          break;
        }
      }
    }
  }

  private decode(data: Buffer): Buffer {
    const w = this.independent ? 0 : this.window.length;
    const dst = Buffer.alloc(w + this.blockMax);
    if (w > 0) this.window.copy(dst, 0);
    let end: number;
    try {
      end = lz4().decompressBlock(data, dst, 0, data.length, w);
    } catch (e) {
      throw new DamagedStream('lz4', (e as Error).message);
    }
    if (end > dst.length || end < w) throw new DamagedStream('lz4', 'a block decodes past its bounds');
    return dst.subarray(w, end);
  }

  private emit1(out: Buffer): void {
    if (!this.independent) {
      const joined = this.window.length > 0 ? Buffer.concat([this.window, out]) : out;
      this.window = Buffer.from(joined.subarray(Math.max(0, joined.length - LZ4_WINDOW)));
    }
    if (out.length > 0) this.out.push(out);
  }
}
