import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';

/**
 * A JSON document whose last key is a long array (the timeline's events),
 * written as `JSON.stringify(doc, null, 2)` and a newline would write it
 * (what `--json` printed when the whole document was built in memory), with
 * memory flat whatever the array's length.
 *
 * The document's other keys (inputs, windows, skew) are complete only once
 * the pass that yields the array is over, and they come first: the array's
 * elements are formatted as they come and spooled to a private file under
 * os.tmpdir() (removed when done), then the head is written and the spool
 * copied after it. Where no temporary file can be made, the elements are
 * kept in memory instead.
 */
export class StreamedArray {
  private readonly dir: string | undefined;
  private fd: number | undefined;
  private readonly held: string[] = [];
  private pending = '';
  private count = 0;

  constructor() {
    try {
      this.dir = mkdtempSync(join(tmpdir(), 'kforensics-json-'));
      this.fd = openSync(join(this.dir, 'array'), 'wx', 0o600);
    } catch {
      if (this.dir) rmSync(this.dir, { recursive: true, force: true });
      this.dir = undefined;
      this.fd = undefined;
    }
  }

  /** One element, as JSON.stringify would format it at the document's second level. */
  add(item: unknown): void {
    const text = `${this.count === 0 ? '' : ',\n'}    ${JSON.stringify(item, null, 2).replace(/\n/g, '\n    ')}`;
    this.count++;
    if (this.fd === undefined) {
      this.held.push(text);
      return;
    }
    this.pending += text;
    if (this.pending.length >= 1 << 20) this.spill();
  }

  private spill(): void {
    if (this.pending.length === 0) return;
    writeSync(this.fd!, this.pending);
    this.pending = '';
  }

  /**
   * Writes the document: `head` is the whole document with the array empty
   * (under `key`, its last key), the elements added are put in its place.
   */
  async writeTo(out: Writable, head: Record<string, unknown>, key: string): Promise<void> {
    try {
      const text = JSON.stringify(head, null, 2);
      const empty = `"${key}": []\n}`;
      if (!text.endsWith(empty)) throw new Error(`internal: "${key}" is not the last key of the document`);
      if (this.count === 0) {
        await write(out, `${text}\n`);
        return;
      }
      await write(out, `${text.slice(0, -'[]\n}'.length)}[\n`);
      if (this.dir === undefined) {
        for (const item of this.held) await write(out, item);
      } else {
        this.spill();
        closeSync(this.fd!);
        this.fd = undefined;
        for await (const chunk of createReadStream(join(this.dir!, 'array'), { highWaterMark: 1 << 20 })) await write(out, chunk as Buffer);
      }
      await write(out, '\n  ]\n}\n');
    } finally {
      this.close();
    }
  }

  /** Removes the spool (also when the document is not written: an error ended the run). */
  close(): void {
    if (this.dir === undefined) return;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function write(out: Writable, data: string | Buffer): Promise<void> {
  if (!out.write(data)) await new Promise((resolve) => out.once('drain', resolve));
}

/**
 * `JSON.stringify(value, null, 2)` in pieces: the pieces joined are that
 * string, and none holds more than one member of the top `levels` levels (a
 * report's 300,000 windows are 300,000 pieces, never one string). For plain
 * data (what a schema's parse returns).
 */
export function* jsonChunks(value: unknown, indent = '', depth = 0, levels = 2): Generator<string> {
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
      yield* jsonChunks(item, inner, depth + 1, levels);
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
    yield* jsonChunks(v, inner, depth + 1, levels);
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

/** Pieces of text written in writes of about 1 MiB, waiting for the stream to drain. */
export async function writeChunks(out: Writable, chunks: Iterable<string>): Promise<void> {
  let pending = '';
  for (const c of chunks) {
    pending += c;
    if (pending.length >= 1 << 20) {
      await write(out, pending);
      pending = '';
    }
  }
  if (pending.length > 0) await write(out, pending);
}
