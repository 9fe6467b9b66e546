import { Readable } from 'node:stream';

/**
 * Logs as container runtimes and their tools hand them out:
 *
 * - Kubernetes CRI files (`/var/log/pods/…/0.log`): each line
 *   `2024-02-23T07:47:50.149123456Z stdout F <log line>`; a log line longer
 *   than the runtime's buffer arrives as `P` (partial) pieces ended by an `F`
 *   piece, joined here into the one line it was;
 * - Docker's json-file logs: `{"log":"<log line>\n","stream":"stdout","time":"…"}`,
 *   a piece without its `\n` being partial in the same way;
 * - captures of several containers in one file, each line prefixed with its
 *   container: `docker compose logs` (`kafka-2  | …`) and
 *   `kubectl logs --prefix` (`[pod/kafka-0/kafka] …`). Each container becomes
 *   an input of its own (`capture.log!/kafka-2/capture.log`), so its lines
 *   get their own node and their records are not interleaved with another's.
 *
 * Unwrapped streams are numbered by log line: a run of partial pieces is one
 * line, cited at its number among the log lines (the same as the file's line
 * number unless the runtime split a line, which it does only past 16 KiB).
 */
export type Framing = 'cri' | 'docker-json';

const CRI = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d) (?:stdout|stderr) [PF] /;
const DOCKER_JSON = /^\{"log":".*","stream":"(?:stdout|stderr)","time":"[^"]+"\}$/;
const COMPOSE = /^([A-Za-z0-9][\w.-]{0,62}?)\s{1,40}\| ?/;
const KUBECTL = /^\[pod\/([^/\]\s]+)\/([^\]\s]+)\] /;

/** Every pattern this module runs, for the regular-expression safety test. */
export const CONTAINER_PATTERNS: readonly RegExp[] = [CRI, DOCKER_JSON, COMPOSE, KUBECTL];

/** Share of the head's non-empty lines that must carry the framing. */
const SHARE = 0.6;

function headLines(head: Buffer): string[] {
  const text = head.toString('utf8');
  const lines = text.split('\n');
  // The last piece may be cut by the head's length.
  if (lines.length > 1) lines.pop();
  return lines.map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '').slice(0, 200);
}

/**
 * Whether the first byte could start any of these: `{` (json-file), a
 * letter (a compose name, `Attaching to`), `[pod/` (kubectl), or a date with
 * `T` (CRI). A log in Kafka's or ZooKeeper's layout is ruled out here,
 * before any line is decoded.
 */
export function mayBeContainer(head: Buffer): boolean {
  const c = head[0];
  if (c === undefined) return false;
  if (c === 0x7b) return true;
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return true;
  if (c === 0x5b) return head[1] === 0x70;
  return c >= 0x30 && c <= 0x39 && head[10] === 0x54;
}

/** The runtime framing of a stream, from its first decoded bytes. */
export function framingOf(head: Buffer): Framing | null {
  const lines = headLines(head);
  if (lines.length === 0) return null;
  const share = (re: RegExp): number => lines.filter((l) => re.test(l)).length / lines.length;
  if (share(CRI) >= SHARE) return 'cri';
  if (share(DOCKER_JSON) >= SHARE) return 'docker-json';
  return null;
}

/** Lines of a byte stream (without their `\n`), as buffers. */
async function* byteLines(stream: Readable): AsyncGenerator<Buffer> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      yield buf.subarray(start, nl);
      start = nl + 1;
    }
    buf = buf.subarray(start);
    carry = Buffer.from(buf);
  }
  if (carry.length > 0) yield carry;
}

/** Re-batches lines into chunks of bytes (each line ended with `\n`). */
function toStream(lines: AsyncIterable<Buffer | string>): Readable {
  return Readable.from((async function* () {
    let parts: Buffer[] = [];
    let size = 0;
    for await (const line of lines) {
      const b = typeof line === 'string' ? Buffer.from(line, 'utf8') : line;
      parts.push(b, NEWLINE);
      size += b.length + 1;
      if (size >= 256 << 10) {
        yield Buffer.concat(parts);
        parts = [];
        size = 0;
      }
    }
    if (parts.length > 0) yield Buffer.concat(parts);
  })(), { objectMode: false });
}

const NEWLINE = Buffer.from('\n');

/** The log lines inside a framed stream, partial pieces joined; lines that are not framed pass as they are. */
export function unframe(stream: Readable, framing: Framing): Readable {
  return toStream((async function* () {
    let partial: Buffer[] = [];
    for await (const raw of byteLines(stream)) {
      const line = raw.length > 0 && raw[raw.length - 1] === 13 ? raw.subarray(0, raw.length - 1) : raw;
      const piece = framing === 'cri' ? criPiece(line) : dockerPiece(line);
      if (!piece) {
        // Not framed (a line the capture added): kept, so it is counted.
        if (partial.length > 0) yield Buffer.concat(partial.splice(0));
        yield line;
        continue;
      }
      partial.push(piece.text);
      if (!piece.partial) yield Buffer.concat(partial.splice(0));
    }
    if (partial.length > 0) yield Buffer.concat(partial);
  })());
}

/**
 * Each log line of a framed stream (numbered as {@link unframe} yields them)
 * with the runtime's own time of its first piece: an instant with a zone,
 * beside the log's own zoneless timestamp at the start of `text`.
 */
export async function* runtimeStamped(stream: Readable, framing: Framing): AsyncGenerator<{ line: number; runtimeMs: number; text: string }> {
  let line = 0;
  let first: { time: string; text: Buffer } | undefined;
  for await (const raw of byteLines(stream)) {
    const bytes = raw.length > 0 && raw[raw.length - 1] === 13 ? raw.subarray(0, raw.length - 1) : raw;
    const piece = framing === 'cri' ? criPiece(bytes) : dockerPiece(bytes);
    if (!piece) {
      // As unframe: a pending partial line, then this unframed one.
      if (first) yield { line: ++line, runtimeMs: Date.parse(first.time), text: first.text.toString('utf8', 0, 64) };
      first = undefined;
      line++;
      continue;
    }
    first ??= { time: piece.time, text: piece.text };
    if (!piece.partial) {
      yield { line: ++line, runtimeMs: Date.parse(first.time), text: first.text.toString('utf8', 0, 64) };
      first = undefined;
    }
  }
  if (first) yield { line: ++line, runtimeMs: Date.parse(first.time), text: first.text.toString('utf8', 0, 64) };
}

function criPiece(line: Buffer): { text: Buffer; partial: boolean; time: string } | undefined {
  // `<time> <stream> <P|F> <text>`: three spaces before the text.
  const s1 = line.indexOf(32);
  const s2 = s1 === -1 ? -1 : line.indexOf(32, s1 + 1);
  if (s2 === -1 || line.length < s2 + 3 || line[s2 + 2] !== 32) return undefined;
  const tag = line[s2 + 1];
  if ((tag !== 80 && tag !== 70) || !CRI.test(line.toString('latin1', 0, s2 + 3))) return undefined;
  return { text: line.subarray(s2 + 3), partial: tag === 80, time: line.toString('latin1', 0, s1) };
}

function dockerPiece(line: Buffer): { text: Buffer; partial: boolean; time: string } | undefined {
  if (line[0] !== 123 /* { */) return undefined;
  let entry: { log?: unknown; time?: unknown };
  try {
    entry = JSON.parse(line.toString('utf8')) as { log?: unknown; time?: unknown };
  } catch {
    return undefined;
  }
  if (typeof entry.log !== 'string') return undefined;
  const partial = !entry.log.endsWith('\n');
  const text = partial ? entry.log : entry.log.slice(0, entry.log.endsWith('\r\n') ? -2 : -1);
  return { text: Buffer.from(text, 'utf8'), partial, time: typeof entry.time === 'string' ? entry.time : '' };
}

/** Who wrote a line of a multi-container capture, and where its own text starts. */
function prefixOf(line: string, kind: 'compose' | 'kubectl'): { name: string; rest: number } | undefined {
  if (kind === 'kubectl') {
    const m = KUBECTL.exec(line);
    return m ? { name: `${m[1]}/${m[2]}`, rest: m[0].length } : undefined;
  }
  const m = COMPOSE.exec(line);
  return m ? { name: m[1]!, rest: m[0].length } : undefined;
}

/** Whether the head is a capture of containers whose lines carry their name, and which prefix. */
export function captureOf(head: Buffer): 'compose' | 'kubectl' | null {
  const lines = headLines(head);
  if (lines.length === 0) return null;
  for (const kind of ['kubectl', 'compose'] as const) {
    const names = new Set<string>();
    let n = 0;
    for (const l of lines) {
      const p = prefixOf(l, kind);
      if (p) {
        n++;
        names.add(p.name);
      }
    }
    if (n >= lines.length * SHARE) return kind;
  }
  return null;
}

/** Lines of a capture that carry no container name (compose's `Attaching to …`). */
export const UNPREFIXED = '(no container)';

/** The containers a capture holds, in the order they first appear, after reading all of it. */
export async function captureNames(stream: Readable, kind: 'compose' | 'kubectl'): Promise<string[]> {
  const names = new Set<string>();
  for await (const line of byteLines(stream)) {
    const p = prefixOf(line.toString('latin1', 0, Math.min(line.length, 200)), kind);
    names.add(p ? p.name : UNPREFIXED);
  }
  return [...names];
}

/** One container's lines of a capture, its prefix removed. */
export function captureLines(stream: Readable, kind: 'compose' | 'kubectl', name: string): Readable {
  return toStream((async function* () {
    for await (const raw of byteLines(stream)) {
      const p = prefixOf(raw.toString('latin1', 0, Math.min(raw.length, 200)), kind);
      if (p ? p.name === name : name === UNPREFIXED) yield p ? raw.subarray(p.rest) : raw;
    }
  })());
}
