import { closeSync, mkdtempSync, readSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { createRequire } from 'node:module';
import type yauzlTypes from 'yauzl';
import type { Discovery, FoundFile, NotRead } from './discover.js';
import { captureLines, captureNames, captureOf, framingOf, mayBeContainer, unframe, UNPREFIXED, type Framing } from './containers.js';
import { compressionOf, decodeStream, describeDamage, fileCompression, rememberCompression, type Compression } from './decompress.js';
import { evidenceStream, openEvidence, openEvidenceSync } from './open.js';

/**
 * Inputs that are not one file on disk, read in place:
 *
 * - archives (tar, zip, and a tar compressed by any format decompress.ts
 *   knows), recognised by their first bytes: each member is an input of its
 *   own, named `ARCHIVE!/member/path` (`bundle.tar.gz!/broker-1/server.log`),
 *   so node names, rotation order, sniffing, accounting and citations work on
 *   members as on files; members may be compressed or archives themselves
 *   (`bundle.tar!/logs/server.log.1.gz`, `outer.zip!/inner.tar.gz!/…`);
 * - standard input (`-`), named `<stdin>`.
 *
 * Nothing is extracted beside the evidence. A plain tar (or a tar inside a
 * plain tar) is indexed where it lies: its members are byte ranges of it. A
 * zip is read through its central directory (yauzl). What cannot be read in
 * place is spooled once to a private directory under os.tmpdir(), removed
 * when the process exits: a compressed tar (a stream has no random access,
 * and the merge reads every member at once), an archive inside a compressed
 * stream, and standard input (read twice: once to sniff, once to read).
 */
export const MEMBER_SEP = '!/';
export const STDIN_NAME = '<stdin>';

/** A range of a file on disk (the evidence, or a spool). */
interface Span {
  file: string;
  offset: number;
  size: number;
  /** Why the bytes end early (a damaged archive stream): reading the range fails there. */
  damage?: string;
}

interface Member {
  open(): Readable;
  /** Its bytes as a range of a file on disk, when they are one as they stand (not compressed, not framed). */
  span?: Span;
  /** Compressions to undo, outermost first (a `.gz` recompressed as `.xz`: xz, then gzip). */
  compression: Compression[];
  /** Then the log lines inside a container runtime's framing, or one container's lines of a capture. */
  unwrap?: (decoded: Readable) => Readable;
  /** The runtime framing `unwrap` removes: its lines carry the runtime's own time. */
  framing?: Framing;
}

const members = new Map<string, Member>();

/**
 * The bytes of a member that lie as they are in a file on disk (a plain
 * tar's member in place, a member of a spooled archive, standard input's
 * spool): read by the plain file's byte path, range by range into reused
 * buffers, not as a stream (whose every read is a new buffer). `damage`:
 * why the bytes stop early, thrown once they are read.
 */
export function memberRange(path: string): { file: string; start: number; end: number; damage?: string } | undefined {
  const span = members.get(path)?.span;
  if (!span) return undefined;
  return { file: span.file, start: span.offset, end: span.offset + span.size, ...(span.damage !== undefined && { damage: span.damage }) };
}

/** Whether a path names an input that is not a file of its own on disk (a member, or stdin). */
export function isMember(path: string): boolean {
  return members.has(path);
}

/** Whether an input is read as a stream (a member or a compressed file), not by ranges of a plain file. */
export function isStreamed(path: string): boolean {
  return members.has(path) || fileCompression(path) !== null;
}

/** The decoded bytes of an input: a plain file's, a compressed file's once decompressed, a member's. */
export function decodedStream(path: string, highWaterMark = 256 << 10): Readable {
  const m = members.get(path);
  if (m) {
    const stream = decoded(m.open(), m.compression);
    return m.unwrap ? m.unwrap(stream) : stream;
  }
  const c = fileCompression(path);
  const raw = fileStream(path, highWaterMark);
  return c ? decodeStream(raw, c, path) : raw;
}

/**
 * A read stream over a file on disk (or a range of it) opened as evidence
 * (open.ts); a failure to open is the stream's error, as it is for a read.
 */
function fileStream(path: string, highWaterMark: number, range?: { start: number; end: number }): Readable {
  try {
    return evidenceStream(path, highWaterMark, range);
  } catch (e) {
    return Readable.from((async function* () {
      throw e;
    })());
  }
}

/** Up to `n` first decoded bytes of an input (fewer if it is shorter or fails early). */
export async function decodedHead(path: string, n: number): Promise<Buffer> {
  return headOf(decodedStream(path), n);
}

async function headOf(stream: Readable, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let got = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parts.push(chunk);
      got += chunk.length;
      if (got >= n) break;
    }
  } catch {
    // What came before the damage is the head.
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, n);
}

function openSpan(span: Span): Readable {
  if (span.size === 0 && !span.damage) return Readable.from([]);
  const raw = span.size === 0 ? Readable.from([]) : fileStream(span.file, 256 << 10, { start: span.offset, end: span.offset + span.size - 1 });
  if (!span.damage) return raw;
  const damage = span.damage;
  return Readable.from((async function* () {
    yield* raw as AsyncIterable<Buffer>;
    throw new Error(damage);
  })());
}

/**
 * The first bytes of a range, in one small synchronous read: most inputs are
 * plain logs, and this is all that is read of them here (a round trip
 * through the thread pool per file would cost more than the read).
 */
function spanHead(span: Span, n: number): Buffer {
  try {
    const fd = openEvidenceSync(span.file);
    try {
      const buf = Buffer.allocUnsafe(Math.min(n, span.size));
      return buf.subarray(0, readSync(fd, buf, 0, buf.length, span.offset));
    } finally {
      closeSync(fd);
    }
  } catch {
    // Unreadable: its reading says why.
    return Buffer.alloc(0);
  }
}

// ---------------------------------------------------------------- spooling

/*
 * Why a spool, and one per archive: the merge reads every member side by
 * side, and a compressed stream (gzip, xz, bzip2, zstd, lz4) can only be read
 * from its start. Indexed re-decompression would need the decoder's state at
 * each member's start: zlib's window could be primed (zran), but Node's zlib
 * has no inflatePrime, and xz/bzip2/zstd decoders here have no such entry
 * point; restarting from the archive's start for every member costs
 * members x archive size of decompression. So the decompressed stream is
 * written once to a private file (0600, in a 0700 directory under
 * os.tmpdir(), never beside the evidence), and each member is then a range
 * of it, read by the plain file's byte path (reused buffers, read ahead,
 * the native scanner): memory that does not grow with the archive's size;
 * disk, the archive's unpacked size while the command runs. The directory
 * goes when the process ends: on exit, on SIGINT, SIGTERM and SIGHUP.
 */

let spoolDir: string | undefined;

/** Why spooling stopped: the temporary directory could not take it (no space, a limit, not writable). */
export class SpoolError extends Error {}

function removeOnEnd(dir: string): void {
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  process.once('exit', remove);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // The signal's own end follows (its exit status, 128 + its number), once the spool is gone.
    process.once(signal, () => {
      remove();
      process.kill(process.pid, signal);
    });
  }
}

function spoolPath(): string {
  if (!spoolDir) {
    try {
      spoolDir = mkdtempSync(join(tmpdir(), 'kforensics-'));
    } catch (e) {
      throw spoolFailure(e, 0);
    }
    removeOnEnd(spoolDir);
  }
  return join(spoolDir, `spool-${members.size}-${Math.random().toString(36).slice(2)}`);
}

/** A failure to write the spool, worded by its cause with what to do. */
function spoolFailure(e: unknown, written: number): SpoolError {
  const code = (e as NodeJS.ErrnoException).code;
  const where = `the temporary directory ${tmpdir()}`;
  const so = written > 0 ? ` (${written} bytes written before it stopped)` : '';
  const why = code === 'ENOSPC' ? `no space left in ${where}${so}`
    : code === 'EDQUOT' ? `disk quota exceeded in ${where}${so}`
    : code === 'EFBIG' ? `the file size limit (ulimit -f) was reached in ${where}${so}`
    : `${where} cannot be written (${(e as Error).message})`;
  return new SpoolError(`${why}: a compressed archive is unpacked there to be read (it needs about the archive's unpacked size); `
    + 'free space there, or set TMPDIR to a directory with room (or unpack the archive yourself and give the folder)');
}

/**
 * Copies a stream to a private temporary file; a failure of the stream part
 * way is kept as the span's damage, a failure to write is a SpoolError (the
 * partial file removed at once).
 */
async function spool(stream: Readable): Promise<Span> {
  const file = spoolPath();
  let size = 0;
  let damage: string | undefined;
  let handle: FileHandle;
  try {
    handle = await open(file, 'wx', 0o600);
  } catch (e) {
    stream.destroy();
    throw spoolFailure(e, 0);
  }
  try {
    const chunks = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    for (;;) {
      let r: IteratorResult<Buffer>;
      try {
        r = await chunks.next();
      } catch (e) {
        damage = describeDamage(e) ?? (e as Error).message;
        break;
      }
      if (r.done) break;
      try {
        await handle.write(r.value);
      } catch (e) {
        stream.destroy();
        await handle.close().catch(() => undefined);
        rmSync(file, { force: true });
        throw spoolFailure(e, size);
      }
      size += r.value.length;
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
  return { file, offset: 0, size, ...(damage !== undefined && { damage }) };
}

// ---------------------------------------------------------------- expansion

/** Where an input's bytes come from while it is expanded. */
interface Source {
  label: string;
  /** The input's raw bytes. */
  open(): Readable;
  /** Its raw bytes as a range of a file, when they are one (random access). */
  span?: Span;
  size: number;
  /** Set for a file given or found on disk (not a member): it stays a plain input. */
  real?: string;
}

/** Bytes of an input's head that decide what it is (enough lines for the container framings). */
const HEAD = 16 << 10;

function isZip(b: Buffer): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6));
}

/** A tar header block: the ustar magic, or (old v7 tar) a valid checksum over a printable name. */
function isTar(b: Buffer): boolean {
  if (b.length < 512) return false;
  const magic = b.toString('latin1', 257, 262);
  if (magic === 'ustar') return checksumOk(b);
  return b[0] !== 0 && /^[\x20-\x7e]+$/.test(cstr(b, 0, 100)) && checksumOk(b);
}

function checksumOk(block: Buffer): boolean {
  const stored = parseOctal(block, 148, 8);
  if (stored === undefined) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  return sum === stored;
}

function cstr(b: Buffer, from: number, len: number): string {
  const end = b.indexOf(0, from);
  return b.toString('utf8', from, end === -1 || end > from + len ? from + len : end);
}

function parseOctal(b: Buffer, from: number, len: number): number | undefined {
  // GNU base-256 for sizes of 8 GiB and more.
  if (b[from]! & 0x80) {
    let n = b[from]! & 0x7f;
    for (let i = 1; i < len; i++) n = n * 256 + b[from + i]!;
    return n;
  }
  const s = b.toString('latin1', from, from + len).replace(/\0.*$/s, '').trim();
  if (s === '') return 0;
  return /^[0-7]+$/.test(s) ? parseInt(s, 8) : undefined;
}

/** pax extended header records: `LEN key=value\n`. */
function paxRecords(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    if (space === -1) break;
    const len = Number(data.toString('latin1', i, space));
    if (!Number.isInteger(len) || len <= 0) break;
    const record = data.toString('utf8', space + 1, i + len - 1);
    const eq = record.indexOf('=');
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    i += len;
  }
  return out;
}

/** Member names in the order a directory walk gives (discover.ts sorts each directory's names). */
function byPath(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) {
      // A directory's files and subdirectories sort by name together, as readdir's do.
      return x[i]! < y[i]! ? -1 : 1;
    }
  }
  return x.length - y.length;
}

function memberName(name: string): string {
  return name.replace(/^(?:\.\/)+/, '').replace(/^\/+/, '').replace(/\/+$/, '');
}

interface Expansion {
  files: FoundFile[];
  notRead: NotRead[];
}

async function expand(src: Source, out: Expansion, depth: number): Promise<void> {
  const head = src.span ? spanHead(src.span, HEAD) : await headOf(src.open(), HEAD);
  if (depth > 8) {
    out.notRead.push({ path: src.label, reason: 'archives nested more than 8 deep: not read' });
    return;
  }
  if (isZip(head)) {
    const span = src.span ?? (await spooled(src, src.open(), out));
    if (span) await listZip(src.label, span, out, depth);
    return;
  }
  const chain: Compression[] = [];
  let inner = head;
  // Compressed, maybe more than once (a .gz recompressed as .xz).
  for (let c = compressionOf(inner); c && chain.length < 4; c = compressionOf(inner)) {
    chain.push(c);
    inner = await headOf(decoded(src.open(), chain), HEAD);
  }
  if (chain.length > 0) {
    if (isTar(inner) || isZip(inner)) {
      const span = await spooled(src, decoded(src.open(), chain), out);
      if (!span) return;
      if (isTar(inner)) await indexTar(src.label, span, out, depth);
      else await listZip(src.label, span, out, depth);
      return;
    }
    await logs(src, chain, inner, out);
    return;
  }
  if (isTar(head)) {
    const span = src.span ?? (await spooled(src, src.open(), out));
    if (span) await indexTar(src.label, span, out, depth);
    return;
  }
  await logs(src, [], head, out);
}

/** An input's bytes spooled; undefined (and said) when the temporary directory cannot take them. */
async function spooled(src: Source, stream: Readable, out: Expansion): Promise<Span | undefined> {
  try {
    return await spool(stream);
  } catch (e) {
    if (!(e instanceof SpoolError)) throw e;
    out.notRead.push({ path: src.label, reason: `${CANNOT_READ}${e.message}` });
    return undefined;
  }
}

/** An input that holds log lines: as it is, inside a runtime's framing, or a capture of several containers. */
async function logs(src: Source, chain: Compression[], head: Buffer, out: Expansion): Promise<void> {
  if (!mayBeContainer(head)) {
    leaf(src, chain, out);
    return;
  }
  const framing = framingOf(head);
  if (framing) {
    leaf(src, chain, out, (s) => unframe(s, framing), framing);
    return;
  }
  const capture = captureOf(head);
  if (capture) {
    const names = await captureNames(decoded(src.open(), chain), capture);
    // One compose service: its prefix is stripped line by line (prefix.ts), the file stays one input.
    // kubectl's `[pod/NAME/CONTAINER]` has no such stripping: even one pod's capture is split, so its
    // lines are sniffed in their own layout (Kafka's, ZooKeeper's, …) and the pod names the node.
    if (names.filter((n) => n !== UNPREFIXED).length >= (capture === 'kubectl' ? 1 : 2)) {
      const base = basename(src.label.split(MEMBER_SEP).pop()!);
      for (const name of names.sort()) {
        const label = `${src.label}${MEMBER_SEP}${name}/${base}`;
        members.set(label, { open: src.open, compression: chain, unwrap: (s) => captureLines(s, capture, name) });
        out.files.push({ path: label, size: src.size });
      }
      return;
    }
  }
  leaf(src, chain, out);
}

function decoded(raw: Readable, chain: readonly Compression[]): Readable {
  return chain.reduce((stream, c) => decodeStream(stream, c), raw);
}

function leaf(src: Source, chain: Compression[], out: Expansion, unwrap?: Member['unwrap'], framing?: Framing): void {
  // A file on disk compressed once or not at all is opened by its path (decompress.ts knows its first bytes).
  if (src.real !== undefined && chain.length <= 1 && !unwrap) {
    rememberCompression(src.real, chain[0] ?? null);
    out.files.push({ path: src.real, size: src.size });
    return;
  }
  const span = chain.length === 0 && !unwrap ? src.span : undefined;
  members.set(src.label, { open: src.open, compression: chain, ...(span && { span }), ...(unwrap && { unwrap }), ...(framing && { framing }) });
  out.files.push({ path: src.label, size: src.size });
}

/** An input read through a container runtime's framing: which, and its framed lines (decompressed, not unframed). */
export function runtimeFramed(path: string): { framing: Framing; open(): Readable } | undefined {
  const m = members.get(path);
  if (!m?.framing) return undefined;
  return { framing: m.framing, open: () => decoded(m.open(), m.compression) };
}

const CANNOT_READ = 'cannot read: ';

async function indexTar(label: string, span: Span, out: Expansion, depth: number): Promise<void> {
  const handle = await openEvidence(span.file);
  const found: { name: string; offset: number; size: number }[] = [];
  const block = Buffer.alloc(512);
  let at = 0;
  let longName: string | undefined;
  let pax = new Map<string, string>();
  let ended = false;
  try {
    while (at + 512 <= span.size) {
      await handle.read(block, 0, 512, span.offset + at);
      if (block.every((x) => x === 0)) {
        ended = true;
        break;
      }
      if (!checksumOk(block)) {
        out.notRead.push({ path: label, reason: `${CANNOT_READ}damaged tar archive: the header at byte ${at} does not check out; members after it are not read` });
        return;
      }
      const size = parseOctal(block, 124, 12) ?? 0;
      const type = String.fromCharCode(block[156]!);
      const dataAt = at + 512;
      const readData = async (): Promise<Buffer> => {
        const data = Buffer.alloc(Math.min(size, 1 << 20));
        await handle.read(data, 0, data.length, span.offset + dataAt);
        return data;
      };
      let name = longName ?? pax.get('path');
      if (name === undefined) {
        const prefix = block.toString('latin1', 257, 262) === 'ustar' ? cstr(block, 345, 155) : '';
        name = prefix ? `${prefix}/${cstr(block, 0, 100)}` : cstr(block, 0, 100);
      }
      const realSize = pax.has('size') ? Number(pax.get('size')) : size;
      at = dataAt + Math.ceil(size / 512) * 512;
      if (type === 'L') {
        longName = (await readData()).toString('utf8').replace(/\0.*$/s, '');
        continue;
      }
      if (type === 'x') {
        pax = paxRecords(await readData());
        continue;
      }
      if (type === 'K' || type === 'g') continue;
      longName = undefined;
      pax = new Map();
      const path = `${label}${MEMBER_SEP}${memberName(name)}`;
      if (type === '0' || type === '\0' || type === '7') found.push({ name: memberName(name), offset: dataAt, size: realSize });
      else if (type === '5') continue;
      else if (type === '2') out.notRead.push({ path, reason: 'symbolic link inside the archive (not followed)' });
      else if (type === '1') out.notRead.push({ path, reason: 'hard link inside the archive (its target is read under its own name)' });
      else if (type === 'S') out.notRead.push({ path, reason: `${CANNOT_READ}GNU sparse member (extract it with tar first)` });
      else out.notRead.push({ path, reason: 'not a regular file (device, FIFO or other special member)' });
    }
  } finally {
    await handle.close();
  }
  if (!ended && (span.damage || at < span.size || found.length === 0)) {
    // The archive stops without its end blocks: a truncated or damaged stream.
    const why = span.damage ?? 'the archive ends without its end-of-archive blocks';
    out.notRead.push({ path: label, reason: `${CANNOT_READ}${why} (members after byte ${Math.min(at, span.size)} are missing)` });
  }
  found.sort((a, b) => byPath(a.name, b.name));
  for (const m of found) {
    const available = Math.max(0, Math.min(m.size, span.size - m.offset));
    const cut = available < m.size;
    const member: Span = {
      file: span.file, offset: span.offset + m.offset, size: available,
      ...(cut && { damage: span.damage ?? `the archive ends inside this member (${available} of ${m.size} bytes)` }),
    };
    await expand({ label: `${label}${MEMBER_SEP}${m.name}`, open: () => openSpan(member), span: member, size: m.size }, out, depth + 1);
  }
}

// yauzl loads when a zip is first met.
const require = createRequire(import.meta.url);
let yauzlLoaded: typeof yauzlTypes | undefined;
const yauzl = (): typeof yauzlTypes => (yauzlLoaded ??= require('yauzl') as typeof yauzlTypes);

/** yauzl reads a zip through this: byte ranges of a span. */
function spanReader(span: Span): yauzlTypes.RandomAccessReader {
  const reader = new (yauzl().RandomAccessReader as unknown as new () => yauzlTypes.RandomAccessReader)();
  (reader as unknown as { _readStreamForRange(start: number, end: number): Readable })._readStreamForRange = (start, end) =>
    openSpan({ file: span.file, offset: span.offset + start, size: end - start });
  return reader;
}

function zipOpen(span: Span): Promise<yauzlTypes.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl().fromRandomAccessReader(spanReader(span), span.size, {
      lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false, decodeStrings: true,
    }, (e, zip) => (e || !zip ? reject(e ?? new Error('not a zip archive')) : resolve(zip)));
  });
}

async function listZip(label: string, span: Span, out: Expansion, depth: number): Promise<void> {
  let zip: yauzlTypes.ZipFile;
  try {
    zip = await zipOpen(span);
  } catch (e) {
    out.notRead.push({ path: label, reason: `${CANNOT_READ}damaged zip archive (${(e as Error).message}); try 'unzip -t' on it` });
    return;
  }
  const entries: yauzlTypes.Entry[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzlTypes.Entry) => {
        entries.push(entry);
        zip.readEntry();
      });
      zip.on('end', resolve);
      zip.on('error', reject);
      zip.readEntry();
    });
  } catch (e) {
    out.notRead.push({ path: label, reason: `${CANNOT_READ}damaged zip archive (${(e as Error).message}); members after the damage are not read; try 'unzip -t' on it` });
  }
  const files: { name: string; entry: yauzlTypes.Entry }[] = [];
  for (const entry of entries) {
    const name = memberName(entry.fileName);
    const path = `${label}${MEMBER_SEP}${name}`;
    if (entry.fileName.endsWith('/')) continue;
    // Unix mode in the high 16 bits of the external attributes.
    const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
    if (mode === 0o120000) out.notRead.push({ path, reason: 'symbolic link inside the archive (not followed)' });
    else if (entry.isEncrypted()) out.notRead.push({ path, reason: `${CANNOT_READ}encrypted zip member (decrypt it with unzip first)` });
    else files.push({ name, entry });
  }
  files.sort((a, b) => byPath(a.name, b.name));
  for (const { name, entry } of files) {
    const openEntry = (): Readable => {
      const pass = new PassThrough({ highWaterMark: 256 << 10 });
      zip.openReadStream(entry, (e, stream) => {
        if (e || !stream) pass.destroy(new Error(`damaged zip member (${e?.message ?? 'no data'}); try 'unzip -t' on the archive`));
        else {
          stream.on('error', (err) => pass.destroy(new Error(`damaged zip member (${err.message}); try 'unzip -t' on the archive`)));
          stream.pipe(pass);
        }
      });
      return pass;
    };
    await expand({ label: `${label}${MEMBER_SEP}${name}`, open: openEntry, size: entry.uncompressedSize }, out, depth + 1);
  }
}

/**
 * Every input the discovered files hold: plain and compressed files as they
 * are, archives replaced by their members; `-` reads standard input.
 */
export async function expandInputs(found: Discovery, stdin: boolean): Promise<Discovery> {
  const out: Expansion = { files: [], notRead: [...found.notRead] };
  if (stdin) {
    // Read once, whichever command plans its inputs more than once.
    stdinSpan ??= spool(process.stdin).catch((e: unknown) => {
      if (!(e instanceof SpoolError)) throw e;
      return e;
    });
    const span = await stdinSpan;
    if (span instanceof SpoolError) out.notRead.push({ path: STDIN_NAME, reason: `${CANNOT_READ}${span.message}` });
    else if (span.size === 0 && !span.damage) out.notRead.push({ path: STDIN_NAME, reason: `${CANNOT_READ}standard input was empty (pipe a log in, or give the paths to read)` });
    else add(out, await expandOnce(STDIN_NAME, { label: STDIN_NAME, open: () => openSpan(span), span, size: span.size }));
  }
  for (const file of found.files) {
    const real = file.path;
    const span: Span = { file: real, offset: 0, size: file.size };
    add(out, await expandOnce(real, { label: real, open: () => openSpan(span), span, size: file.size, real }));
  }
  return { files: out.files, notRead: out.notRead, missing: found.missing };
}

let stdinSpan: Promise<Span | SpoolError> | undefined;
/** Expansions by input (and size): a command that plans twice spools an archive once. */
const expansions = new Map<string, Promise<Expansion>>();

function expandOnce(key: string, src: Source): Promise<Expansion> {
  const k = `${key}\0${src.size}`;
  let e = expansions.get(k);
  if (!e) {
    e = (async () => {
      const out: Expansion = { files: [], notRead: [] };
      await expand(src, out, 0);
      return out;
    })();
    expansions.set(k, e);
  }
  return e;
}

function add(to: Expansion, from: Expansion): void {
  to.files.push(...from.files);
  to.notRead.push(...from.notRead);
}
