import { TextDecoder } from 'node:util';
import { open, type FileHandle } from 'node:fs/promises';
import { closeSync, constants, createReadStream, fstatSync, openSync, read, readSync, type ReadStream } from 'node:fs';
import { decodedStream, isStreamed, memberRange } from './archive.js';

/** Text encodings recognised from a file's first bytes. */
export type Encoding = 'utf8' | 'utf16le' | 'utf16be';

// One buffer per open file; every family of the merge holds one open.
export const CHUNK = 256 << 10;

/**
 * Every input is opened read-only, and without updating its access time
 * (O_NOATIME) where the kernel allows it: only the file's owner (or root) may
 * ask, so any other user falls back to a plain read-only open (EPERM).
 */
const NOATIME = constants.O_NOATIME ?? 0;

/**
 * Paths whose names are not UTF-8: Node's paths are strings, so discovery
 * names such a file by its printable form (`server-\xff.log`) and keeps its
 * bytes here; every open and stat of evidence goes through evidencePath.
 */
const rawPaths = new Map<string, Buffer>();

/** Records the bytes of a path shown as `shown` (see discover.ts). */
export function registerRawPath(shown: string, raw: Buffer): void {
  rawPaths.set(shown, raw);
}

/** What to hand the file system for an input's path: its bytes when its name is not UTF-8. */
export function evidencePath(path: string): string | Buffer {
  return rawPaths.get(path) ?? path;
}

export function openEvidenceSync(path: string): number {
  const at = evidencePath(path);
  if (NOATIME !== 0) {
    try {
      return openSync(at, constants.O_RDONLY | NOATIME);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
    }
  }
  return openSync(at, constants.O_RDONLY);
}

export async function openEvidence(path: string): Promise<FileHandle> {
  const at = evidencePath(path);
  if (NOATIME !== 0) {
    try {
      return await open(at, constants.O_RDONLY | NOATIME);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
    }
  }
  return open(at, constants.O_RDONLY);
}

/**
 * Descriptors held open between reads, at most: a merge reads many inputs a
 * piece at a time, and must not run out of descriptors (`ulimit -n`, often
 * 1024, sometimes 256) however many it reads at once.
 */
export const MAX_HELD_FILES = 96;

/** Inputs holding a descriptor, least recently read first. */
const held = new Set<HeldFile>();
/** Reads running on held descriptors. */
let reading = 0;

/**
 * Whether a read ahead may start: reads running pin their descriptors, so
 * those started ahead of need (one per file of a merge, else) stay well
 * within the budget.
 */
export function mayReadAhead(): boolean {
  return reading < MAX_HELD_FILES >> 1;
}

/**
 * An input read piece by piece, with pauses between the pieces: its
 * descriptor is one of at most MAX_HELD_FILES held open. When another is
 * needed, the least recently read one not reading is closed; it is opened
 * again when next read, and must then be the same file (device and inode).
 */
export class HeldFile {
  readonly size: number;
  private fd: number | undefined;
  private readonly id: string;
  /** Reads running on the descriptor (a read ahead among them). */
  private busy = 0;
  private closed = false;

  constructor(readonly path: string) {
    this.fd = openEvidenceSync(path);
    try {
      const st = fstatSync(this.fd);
      this.id = `${st.dev}:${st.ino}`;
      this.size = st.size;
    } catch (e) {
      closeSync(this.fd);
      throw e;
    }
    hold(this);
  }

  /** Reads into buf at `position`, here and now. */
  readSync(buf: Uint8Array, offset: number, length: number, position: number): number {
    const fd = this.acquire();
    try {
      return readSync(fd, buf, offset, length, position);
    } finally {
      this.release();
    }
  }

  /** Reads into buf at `position` on libuv's pool. */
  read(buf: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    const fd = this.acquire();
    return new Promise<number>((resolve, reject) => read(fd, buf, offset, length, position, (e, n) => (e ? reject(e) : resolve(n))))
      .finally(() => this.release());
  }

  /** Closes the file (once the reads running end); reading it again is an error. */
  close(): void {
    this.closed = true;
    if (this.busy === 0) this.drop();
  }

  private acquire(): number {
    if (this.closed) throw new Error(`${this.path}: read after close`);
    if (this.fd === undefined) {
      const fd = openEvidenceSync(this.path);
      const st = fstatSync(fd);
      if (`${st.dev}:${st.ino}` !== this.id) {
        closeSync(fd);
        throw new Error('the file was replaced while being read (renamed or rotated): the lines read may come from two files; read a copy taken when the logs are at rest');
      }
      this.fd = fd;
    }
    this.busy++;
    reading++;
    hold(this);
    return this.fd;
  }

  private release(): void {
    this.busy--;
    reading--;
    if (this.closed && this.busy === 0) this.drop();
  }

  /** Lets the descriptor go; false when it is reading. */
  evict(): boolean {
    if (this.busy > 0) return false;
    this.drop();
    return true;
  }

  private drop(): void {
    held.delete(this);
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) closeSync(fd);
  }
}

/** Marks a file as the most recently read, closing the least recent idle ones beyond the budget. */
function hold(file: HeldFile): void {
  held.delete(file);
  held.add(file);
  if (held.size <= MAX_HELD_FILES) return;
  for (const old of held) {
    if (held.size <= MAX_HELD_FILES) break;
    if (old !== file) old.evict();
  }
}

/** A read stream over an input (or a range of it), opened as {@link openEvidenceSync} does (open errors are thrown here). */
export function evidenceStream(path: string, highWaterMark?: number, range?: { start: number; end: number }): ReadStream {
  return createReadStream(path, { fd: openEvidenceSync(path), autoClose: true, ...(highWaterMark !== undefined && { highWaterMark }), ...range });
}

/** NUL bytes at the head of a plain file (a hole left by a crash), counted up to 1 GiB. */
export function leadingNulBytes(path: string): number {
  if (isStreamed(path)) return 0;
  let fd: number;
  try {
    fd = openEvidenceSync(path);
  } catch {
    return 0;
  }
  try {
    // Most files start with text: a small first read; a hole is then read in larger steps.
    let buf = Buffer.allocUnsafe(4096);
    let p = 0;
    while (p < 1 << 30) {
      if (p > 0 && buf.length < 1 << 20) buf = Buffer.allocUnsafe(1 << 20);
      const n = readSync(fd, buf, 0, buf.length, p);
      if (n <= 0) return p;
      for (let i = 0; i < n; i++) if (buf[i] !== 0) return p + i;
      p += n;
    }
    return p;
  } finally {
    closeSync(fd);
  }
}

/** Detects a BOM, or UTF-16 without one from the zero bytes of ASCII text. */
export function detectEncoding(head: Uint8Array): { encoding: Encoding; bomLength: number } {
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf16be', bomLength: 2 };
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf8', bomLength: 3 };
  const n = Math.min(head.length, 512) & ~1;
  if (n >= 16) {
    let evenZero = 0;
    let oddZero = 0;
    for (let i = 0; i < n; i += 2) {
      if (head[i] === 0) evenZero++;
      if (head[i + 1] === 0) oddZero++;
    }
    const pairs = n / 2;
    if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return { encoding: 'utf16le', bomLength: 0 };
    if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return { encoding: 'utf16be', bomLength: 0 };
  }
  return { encoding: 'utf8', bomLength: 0 };
}

/**
 * Raw bytes of a file, decompressed when it is compressed (whatever its
 * name), or of an archive member or standard input (archive.ts). Plain files are read into
 * one reused buffer: each yielded chunk is valid only until the next one is
 * requested, so consumers must finish with it synchronously. Files are only
 * ever opened read-only.
 */
export async function* readRawChunks(path: string, limit = Number.POSITIVE_INFINITY): AsyncGenerator<Uint8Array> {
  // A member lying as it is in a file on disk (a tar's, in place or spooled): a range of that file, read as a plain file is.
  const range = memberRange(path);
  if (range) {
    yield* readRange(range.file, range.start, Math.min(range.end, range.start + limit));
    if (range.damage !== undefined && range.end - range.start < limit) throw new Error(range.damage);
    return;
  }
  if (isStreamed(path)) {
    const stream = decodedStream(path);
    let seen = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        yield chunk;
        seen += chunk.length;
        if (seen >= limit) break;
      }
    } finally {
      stream.destroy();
    }
    return;
  }
  yield* readRange(path, 0, limit);
}

/** Bytes [start, end) of a file on disk (end: at most its size when opened), into one reused buffer. */
async function* readRange(path: string, start: number, end: number): AsyncGenerator<Uint8Array> {
  const file = new HeldFile(path);
  try {
    let position = start;
    // Read to the size seen at the start so a file that grows while it is read
    // still ends.
    const size = Math.min(file.size, end);
    // A small file's head takes a small buffer (thousands of them are sniffed one after another).
    const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(CHUNK, size - start)));
    while (position < size) {
      const bytesRead = await file.read(buffer, 0, Math.min(buffer.length, size - position), position);
      if (bytesRead === 0) break;
      position += bytesRead;
      // The last read done, the file is closed before its bytes are handed
      // out: a merge holding thousands of small files open between reads
      // holds no descriptor for them.
      if (position >= size) file.close();
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    file.close();
  }
}

/**
 * UTF-8 bytes of a file whatever its encoding: UTF-16 is transcoded, a BOM is
 * dropped. Same reuse contract as {@link readRawChunks}.
 */
export async function* readUtf8Chunks(path: string, limit?: number): AsyncGenerator<Uint8Array> {
  let decoder: import('node:util').TextDecoder | undefined;
  let first = true;
  for await (const raw of readRawChunks(path, limit)) {
    let chunk = raw;
    if (first) {
      first = false;
      const { encoding, bomLength } = detectEncoding(chunk);
      chunk = chunk.subarray(bomLength);
      // WHATWG labels: Node's TextDecoder rejects 'utf16le'.
      if (encoding !== 'utf8') decoder = new TextDecoder(encoding === 'utf16le' ? 'utf-16le' : 'utf-16be');
    }
    if (decoder) {
      yield Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8');
    } else {
      yield chunk;
    }
  }
  if (decoder) {
    const tail = decoder.decode();
    if (tail) yield Buffer.from(tail, 'utf8');
  }
}
