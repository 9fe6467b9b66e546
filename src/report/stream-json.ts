import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { NoRoom, NotPlain, writeJson } from './json-bytes.js';

/**
 * A long array of a JSON document (the timeline's events) whose other keys
 * (inputs, windows, skew) are complete only once the pass that yields the
 * array is over, and come first; written as `JSON.stringify(doc, null, 2)`
 * and a newline would write the document (what `--json` printed when the
 * whole document was built in memory), with memory flat whatever the
 * array's length.
 *
 * The array's elements are formatted as they come and spooled to a private
 * file under os.tmpdir() (removed when done); the document is then written
 * by writeChunks(out, streamedDocument(doc)) with this object as the array's
 * value, its elements read back from the spool in its place. Where no
 * temporary file can be made, the elements are kept in memory instead.
 */
export class StreamedArray {
  private readonly dir: string | undefined;
  private fd: number | undefined;
  private readonly held: string[] = [];
  /** The elements' bytes not yet written to the spool (UTF-8 encoded straight in: no long string is built). */
  private readonly pending = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  private count = 0;

  constructor() {
    try {
      this.dir = mkdtempSync(join(tmpdir(), 'kforensics-json-'));
      this.fd = openSync(join(this.dir, 'array'), 'wx+', 0o600);
    } catch {
      if (this.dir) rmSync(this.dir, { recursive: true, force: true });
      this.dir = undefined;
      this.fd = undefined;
    }
  }

  /** One element, as JSON.stringify would format it at the document's second level. */
  add(item: unknown): void {
    const comma = this.count > 0;
    this.count++;
    if (this.fd === undefined) {
      this.held.push(comma ? `,\n${stringified(item)}` : stringified(item));
      return;
    }
    // Encoded straight into the spool's buffer (json-bytes.ts): no string is made of it.
    try {
      this.used = element(this.pending, this.used, item, comma);
      return;
    } catch (e) {
      if (!(e instanceof NoRoom) && !(e instanceof NotPlain)) throw e;
      if (e instanceof NoRoom) {
        this.spill();
        try {
          this.used = element(this.pending, 0, item, comma);
          return;
        } catch (again) {
          if (!(again instanceof NoRoom) && !(again instanceof NotPlain)) throw again;
        }
      }
    }
    // Not plain data, or longer than the buffer: JSON.stringify's text.
    this.spill();
    if (comma) writeAll(this.fd, Buffer.from(',\n'));
    writeAll(this.fd, Buffer.from(stringified(item)));
  }

  private spill(): void {
    if (this.used === 0) return;
    writeAll(this.fd!, this.pending.subarray(0, this.used));
    this.used = 0;
  }

  /**
   * The array's text at the document's first level (what jsonChunks yields
   * for it). The spool is read back into one block: a Buffer yielded is
   * valid until the next piece is asked for (writeChunks writes it whole
   * first), so reading it back holds no more memory than that block.
   */
  *chunks(): Generator<string | Buffer> {
    if (this.count === 0) {
      yield '[]';
      return;
    }
    yield '[\n';
    if (this.fd === undefined) {
      yield* this.held;
    } else {
      this.spill();
      const block = Buffer.allocUnsafe(1 << 20);
      for (let at = 0; ;) {
        const n = readSync(this.fd, block, 0, block.length, at);
        if (n === 0) break;
        at += n;
        yield block.subarray(0, n);
      }
    }
    yield '\n  ]';
  }

  /** Removes the spool (also when the document is not written: an error ended the run). */
  close(): void {
    if (this.dir === undefined) return;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
}

/** An element of an array at a document's first level, as JSON.stringify formats it: `    {…}`, with `,\n` before it after the first. */
function stringified(item: unknown): string {
  // Inside two arrays, JSON.stringify indents the element as the document's second level does: cut out of them, its text
  // needs no pass to indent it. `[\n  [\n` before it, `\n  ]\n]` after.
  const nested = JSON.stringify([[item]], null, 2);
  return nested.slice(6, nested.length - 6);
}

/** The same element (writeJson: plain data only) encoded into `buf` from `at`; returns where it ends. */
function element(buf: Buffer, at: number, item: unknown, comma: boolean): number {
  const indent = comma ? ',\n    ' : '    ';
  if (at + indent.length > buf.length) throw new NoRoom();
  for (let i = 0; i < indent.length; i++) buf[at++] = indent.charCodeAt(i);
  return writeJson(buf, at, item, 2);
}

/**
 * Writes `text` and, where the stream holds more than it takes at once (a
 * pipe read slower than it is written), waits until it has taken it: text
 * written without waiting piles up in memory (a windows table of 130,000
 * rows to a pipe held most of its 130 MB there).
 */
export async function writeText(out: NodeJS.WritableStream, text: string | Uint8Array): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve));
}

/**
 * Resolves once everything written to `out` so far has been handed to the
 * system. Into a pipe Node writes stdout asynchronously, so a closing line
 * on stderr written before then lands among the rows when both streams go
 * to one pipe (`2>&1 | less`). A pipe closed by its reader ends the process
 * (cli/process-guards.ts): nothing is left waiting on this then.
 */
export function flushed(out: Writable): Promise<void> {
  return out.writableLength === 0 ? Promise.resolve() : written(out, '');
}

/**
 * Each text, a line of its own, encoded into writeChunks' one buffer and
 * written about 1 MiB at a time: a block written as a string of its own was
 * made a buffer of its own first (a windows table of 40,000 rows, 12 MB of
 * box-drawing text, spent ~0.45 s of its 6.4 s there).
 */
export async function writeLines(out: Writable, texts: Iterable<string>): Promise<void> {
  await writeChunks(out, linesOf(texts));
}

function* linesOf(texts: Iterable<string>): Generator<string> {
  for (const text of texts) {
    yield text;
    yield '\n';
  }
}

/** Writes `data` and waits until the stream is done with it (its bytes may then be written over), or has failed. */
function written(out: Writable, data: string | Buffer): Promise<void> {
  return new Promise((resolve) => out.write(data, () => resolve()));
}

/**
 * `JSON.stringify(value, null, 2)` in pieces: the pieces joined are that
 * string, and none holds more than one member of the top `levels` levels (a
 * report's 300,000 windows are 300,000 pieces, never one string). For plain
 * data (what a schema's parse returns).
 */
export function* jsonChunks(value: unknown, indent = '', depth = 0, levels = 2): Generator<string> {
  // No streamed array in plain data: every piece is text.
  yield* pieces(value, indent, depth, false, levels) as Generator<string>;
}

/**
 * jsonDocument for a document whose first-level members may be
 * StreamedArrays: their elements come as the bytes spooled.
 */
export function* streamedDocument(doc: unknown): Generator<Piece> {
  yield* pieces(doc, '', 0, true, 2);
  yield '\n';
}

/**
 * A piece of a document written by streamedDocument: text, bytes (valid
 * until the next piece is asked for), or a value (a lazy array's element).
 */
export type Piece = string | Buffer | JsonPiece;

/**
 * A place in a document's pieces where writing waits for what the pieces
 * after it read (a report's quoted lines, read again from the files on
 * libuv's pool while the sections before the appendix are written).
 */
export class Pause {
  constructor(readonly until: Promise<void>) {}
}

/**
 * A value written as JSON.stringify(value, null, 2) reads `depth` levels down
 * a document: writeChunks encodes it straight into its buffer (json-bytes.ts),
 * or, where that cannot be, writes text().
 */
export class JsonPiece {
  constructor(readonly value: unknown, readonly depth: number) {}

  /** Its text (JSON.stringify's, each line after the first indented). */
  text(): string {
    const text = JSON.stringify(this.value, null, 2);
    return this.depth === 0 ? text : text.replace(/\n/g, `\n${'  '.repeat(this.depth)}`);
  }
}

/**
 * An array of a document made element by element as it is written (the
 * windows of timeline --json, each converted, checked and written, then
 * let go): a member of a document written by streamedDocument.
 */
export class LazyArray {
  constructor(readonly elements: () => Iterable<unknown>) {}
}

function* pieces(value: unknown, indent: string, depth: number, streams: boolean, levels: number): Generator<Piece> {
  if (value instanceof StreamedArray) {
    // Its elements are formatted for a member of the document itself.
    if (!streams || depth !== 1) throw new Error('internal: a streamed array is written only as a member of a document, by streamedDocument');
    yield* value.chunks();
    return;
  }
  if (value instanceof LazyArray) {
    if (!streams || depth !== 1) throw new Error('internal: a lazy array is written only as a member of a document, by streamedDocument');
    // As an array's elements below, known empty only once the first is asked for.
    const inner = `${indent}  `;
    let count = 0;
    for (const element of value.elements()) {
      const item = element === undefined || typeof element === 'function' ? null : element;
      yield `${count++ === 0 ? '[' : ','}\n${inner}`;
      // Encoded by writeChunks straight into its buffer (no string of each element).
      yield new JsonPiece(item, depth + 1);
    }
    yield count === 0 ? '[]' : `\n${indent}]`;
    return;
  }
  if (depth >= levels || value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    const text = JSON.stringify(value, null, 2);
    yield indent === '' ? text : text.replace(/\n/g, `\n${indent}`);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    yield '[';
    for (let i = 0; i < value.length; i++) {
      const item = value[i] === undefined || typeof value[i] === 'function' ? null : value[i];
      yield `${i === 0 ? '' : ','}\n${inner}`;
      yield* pieces(item, inner, depth + 1, streams, levels);
    }
    yield `\n${indent}]`;
    return;
  }
  const members = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (members.length === 0) {
    yield '{}';
    return;
  }
  yield '{';
  let first = true;
  for (const [k, v] of members) {
    yield `${first ? '' : ','}\n${inner}${JSON.stringify(k)}: `;
    first = false;
    yield* pieces(v, inner, depth + 1, streams, levels);
  }
  yield `\n${indent}}`;
}

/**
 * A whole document as `--json` prints it: JSON.stringify(doc, null, 2) and a
 * newline, in pieces of one member of the top `levels` levels at most (3 for
 * a report, whose key-event rows are the third level: timeline.rows[i]).
 */
export function* jsonDocument(doc: unknown, levels = 2): Generator<string> {
  yield* jsonChunks(doc, '', 0, levels);
  yield '\n';
}

/**
 * Pieces written in writes of about 1 MiB, each waited for before the next.
 * A Buffer piece is written before the next piece is asked for (it may be a
 * block read into again: StreamedArray's spool). At a Pause, writing waits until it resolves.
 */
export async function writeChunks(out: Writable, chunks: Iterable<Piece | Pause>): Promise<void> {
  for await (const block of encodedBlocks(chunks)) await written(out, block);
}

/**
 * Pieces as the blocks of bytes to write, in order: text is encoded straight
 * into one buffer of 1 MiB (no long string is built), handed out when full
 * and written over once the next block is asked for; a Buffer piece goes as
 * it is, after the text before it (it too is valid only until the next block
 * is asked for). At a Pause, what came before is handed out, then the wait.
 * What writes a document (writeChunks, writeOutAtomically) writes these.
 */
export async function* encodedBlocks(chunks: Iterable<Piece | Pause>): AsyncGenerator<Buffer> {
  const pending = Buffer.allocUnsafe(1 << 20);
  let used = 0;
  // The text encoded so far, if any, as a block.
  const held = function* (): Generator<Buffer> {
    if (used === 0) return;
    const bytes = pending.subarray(0, used);
    used = 0;
    yield bytes;
  };
  for (let c of chunks) {
    if (c instanceof Pause) {
      yield* held();
      await c.until;
      continue;
    }
    if (c instanceof JsonPiece) {
      const at = encoded(pending, used, c);
      if (at >= 0) {
        used = at;
        continue;
      }
      if (at === NO_ROOM) {
        yield* held();
        const again = encoded(pending, 0, c);
        if (again >= 0) {
          used = again;
          continue;
        }
      }
      // Not plain data, or longer than the buffer: as text.
      c = c.text();
    }
    if (typeof c !== 'string') {
      yield* held();
      yield c;
      continue;
    }
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    if (used + c.length * 3 > pending.length) {
      yield* held();
      if (c.length * 3 > pending.length) {
        yield Buffer.from(c);
        continue;
      }
    }
    used += pending.write(c, used);
  }
  yield* held();
}

const NO_ROOM = -1;
const NOT_PLAIN = -2;

/** A value piece encoded into `buf` from `at`: where it ends, or NO_ROOM or NOT_PLAIN (nothing written is to be used). */
function encoded(buf: Buffer, at: number, piece: JsonPiece): number {
  try {
    return writeJson(buf, at, piece.value, piece.depth);
  } catch (e) {
    if (e instanceof NoRoom) return NO_ROOM;
    if (e instanceof NotPlain) return NOT_PLAIN;
    throw e;
  }
}
