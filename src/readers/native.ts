import { createRequire } from 'node:module';

/**
 * The native scanners (native/*.c, built by `npm ci` through node-gyp):
 * the byte-level readers' hot loops in C, where memchr finds a line's end
 * and a Wu-Manber search a rule's keyword at the machine's speed. They decide only what
 * the JavaScript byte path would decide; everything else the caller reads
 * through the string path. Without a compiler the build is skipped and the
 * JavaScript byte path reads the same files with the same results, slower.
 * KF_NATIVE=0 turns the native scanners off (tests compare the two paths).
 */
export interface NativeScanners {
  createKafkaScanner(): object;
  /**
   * Scans whole lines of buf[from, to) (the last one without its newline
   * only when `final`) until `info` is full: info[0] gets the offset reading
   * stopped at; line k's fields start at info[1 + k * KAFKA_STRIDE].
   */
  scanKafka(scanner: object, buf: Buffer, from: number, to: number, final: boolean, info: Int32Array, times: Float64Array, marker?: Buffer, marks?: Int32Array): number;
  /**
   * scanKafka on a thread of libuv's pool; nothing else may touch the scanner, buffer or arrays until it settles.
   * With a `marker` (a line watcher's, without a newline; not empty) the same call finds the lines of buf[from, to)
   * holding it: their starts in marks[1…], one per line, in order; marks[0] their number, negated
   * when more lines after the last one held also hold it (marks was full).
   */
  scanKafkaAsync(
    scanner: object, buf: Buffer, from: number, to: number, final: boolean, info: Int32Array, times: Float64Array, marker?: Buffer, marks?: Int32Array,
  ): Promise<number>;
  /** A scanner of ZooKeeper's native layout: scanZooKeeper's lines have ZOOKEEPER_STRIDE fields; gates and window are set as a Kafka scanner's. */
  createZooKeeperScanner(): object;
  /** scanKafka for a ZooKeeper scanner: a record's fields also hold its class end and its `[myid:N]` digits (-1 -1: none). */
  scanZooKeeper(scanner: object, buf: Buffer, from: number, to: number, final: boolean, info: Int32Array, times: Float64Array, marker?: Buffer, marks?: Int32Array): number;
  scanZooKeeperAsync(
    scanner: object, buf: Buffer, from: number, to: number, final: boolean, info: Int32Array, times: Float64Array, marker?: Buffer, marks?: Int32Array,
  ): Promise<number>;
  /** Scans DumpLogSegments lines (the first argument is unused): kind, start, end, timestamp type per line; numbers in `nums`. */
  scanDump(unused: 0, buf: Buffer, from: number, to: number, final: boolean, info: Int32Array, nums: Float64Array): number;
  scanDumpAsync(unused: 0, buf: Buffer, from: number, to: number, final: boolean, info: Int32Array, nums: Float64Array): Promise<number>;
  /**
   * The newlines of a file's bytes [from, to), read and counted on libuv's pool; with `stamp` (the 17 digits of a
   * `yyyy-MM-dd HH:mm:ss,SSS` time), -1 as soon as a line starting in the
   * range holds a timestamp at or after it.
   */
  countFileNewlinesAsync(fd: number, from: number, to: number, stamp?: Uint8Array): Promise<number>;
  /**
   * The lines numbered `wanted` (ascending integers) of a file's bytes [from, to), the first numbered lineBefore + 1,
   * found on libuv's pool. The k-th line found starts at spans[2k], its newline at spans[2k + 1] (where reading ended
   * for a last line without one); its bytes and newline are copied to `out` after the line before when it is at most
   * copyLimit bytes long. Resolves with the lines found; spans[2n], spans[2n + 1], spans[2n + 2] (n: wanted.length)
   * get where the walk stopped, the number of the line starting there and 1 when it stopped because `out` was full.
   * Nothing else may touch the arrays until it settles.
   */
  pickFileLinesAsync(fd: number, from: number, to: number, lineBefore: number, wanted: Float64Array, spans: Float64Array, out: Buffer, copyLimit: number): Promise<number>;
  /** Passes at most `count` newlines of buf[from, to): returns how many it passed, out[0] the offset after the last one passed (`from`: none). */
  skipNewlines(buf: Uint8Array, from: number, to: number, count: number, out: Int32Array): number;
  /** What a record of logger `id` needs (a GATE_* value), with the keywords one of which its rules require, and its role (ROLE_BITS). */
  setKafkaGate(scanner: object, id: number, mode: number, keywords: Buffer[], role: number): void;
  /** Naive times in [from, to) are epoch ms + offsetMs: the scanner counts the records it skips there in runs (LINE_RUN). */
  setKafkaWindow(scanner: object, from: number, to: number, offsetMs: number): void;
}

/** Fields per line in scanKafka's output: kind, start, end, logger id, message start, logger start. */
export const KAFKA_STRIDE = 6;
/** Fields per line of scanZooKeeper: kind, start, end, class id, message start, class start, class end, myid start, myid end. */
export const ZOOKEEPER_STRIDE = 9;

// Kinds of line in scanKafka's output.
/** A record start no rule can classify (its logger's gate said so). */
export const LINE_SKIP = 0;
/** A record start a rule might classify: the caller decides on its text. */
export const LINE_CANDIDATE = 1;
/** A line to read through the string path (NUL bytes, another writer's, an uncertain shape). */
export const LINE_DECODE = 2;
/** A continuation line (not another writer's): folded into the record before. */
export const LINE_CONTINUATION = 3;
/**
 * A run of records no rule can classify and their folded lines, in two
 * slots: [RUN, records, folded, out of order within the run, role bits,
 * start] with nums[k] = the first record's epoch ms; [RUN_END, end, myid
 * start, myid end] with nums[k + 1] = the run's latest epoch ms (a
 * ZooKeeper run's records name one server: its `[myid:N]` digits, -1 -1
 * for none).
 */
export const LINE_RUN = 4;
/** A record start whose message holds one of its logger's keywords (GATE_KEYWORDS, GATE_BARE): a rule may classify it. */
export const LINE_KEYWORD = 6;

/** Fields per line in scanDump's output: kind, start, end, timestamp type (0 CreateTime, 1 LogAppendTime). */
export const DUMP_STRIDE = 4;
/** Numbers per line: a batch's baseOffset, lastOffset, count, timestamp, partitionLeaderEpoch, producerId, producerEpoch, lastSequence, isvalid (1/0); a record's offset, timestamp, sequence. */
export const DUMP_NUMS = 9;
// Kinds of line in scanDump's output.
export const DUMP_OTHER = 0;
export const DUMP_BATCH = 1;
export const DUMP_RECORD_INDENTED = 2;
export const DUMP_RECORD = 3;

// What a record of a logger needs (setKafkaGate).
/** No rule can classify it. */
export const GATE_SKIP = 1;
/** Only when one of the given keywords is in its message. */
export const GATE_KEYWORDS = 2;
/** Always the caller's decision. */
export const GATE_ALWAYS = 3;
/**
 * Its rules read a record's folded lines too (a cause), but one that folds
 * none is decided on its message: such a record without the keywords is
 * skipped when the next line certainly starts a record, else a candidate.
 */
export const GATE_BARE = 4;

let loaded: NativeScanners | null | undefined;
let loadError: string | undefined;

/** The native scanners, or undefined when they were not built (or KF_NATIVE=0). */
export function nativeScanners(): NativeScanners | undefined {
  if (loaded === undefined) {
    loaded = null;
    if (process.env.KF_NATIVE !== '0') {
      try {
        // dist/readers/ and src/readers/ are both two levels below the package root.
        loaded = createRequire(import.meta.url)('../../build/Release/kforensics.node') as NativeScanners;
      } catch (e) {
        loadError = (e as Error).message;
      }
    }
  }
  return loaded ?? undefined;
}

/** Why the native scanners are not in use, when they are not. */
export function nativeUnavailableReason(): string | undefined {
  nativeScanners();
  if (loaded) return undefined;
  return process.env.KF_NATIVE === '0' ? 'KF_NATIVE=0' : `not built (${loadError ?? 'unknown'})`;
}
