import { tzOffset } from '@date-fns/tz';

const BUCKET_MS = 15 * 60_000;

/** Seconds format() keeps the text of (a power of two). */
const SECONDS_KEPT = 1024;

/** `000` to `999`: a time's milliseconds as it prints them, made once (not a number turned to text and padded per time). */
const MILLIS: readonly string[] = Array.from({ length: 1000 }, (_, ms) => String(ms).padStart(3, '0'));

/** A time's whole milliseconds (0-999) as printed; anything else (a rounding at the edge of a number's precision) as before the table. */
function millis(ms: number): string {
  return ms >= 0 && ms < 1000 ? MILLIS[ms]! : `${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}`;
}

/**
 * Local wall-clock times a change of clocks made ambiguous: in autumn the
 * hour before the change happens twice (`repeated`: read once with the
 * offset before the change, the first pass, once with the one after); in
 * spring the hour skipped never existed (`skipped`). `from`/`to`: naive
 * times (see parseNaiveTimestamp) of that span; offsets in minutes.
 */
export interface LocalAmbiguity {
  kind: 'repeated' | 'skipped';
  from: number;
  to: number;
  before: number;
  after: number;
}

/** Thrown for a zone name the runtime does not know. */
export class UnknownZoneError extends Error {
  constructor(readonly zone: string) {
    super(`Unknown time zone "${zone}". Use an IANA name such as UTC, Europe/Berlin or Asia/Seoul.`);
  }
}

/**
 * The time zone the logs were written in. log4j timestamps carry no zone, so
 * every conversion from a log line goes through one explicit Zone; nothing
 * here consults the process's own zone.
 */
export class Zone {
  readonly name: string;
  private readonly utcOffsets = new Map<number, number>();
  private readonly localOffsets = new Map<number, number>();

  constructor(name: string) {
    // UTC is every runtime's, and nothing reads it through Intl (offsetAt, ambiguity): not checked, the check loads
    // the runtime's zone data, 20-40 ms of a run that reads the logs as UTC.
    if (name !== 'UTC') {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: name });
      } catch {
        throw new UnknownZoneError(name);
      }
    }
    this.name = name;
  }

  /** Offset from UTC in minutes at the given instant. */
  offsetAt(epochMs: number): number {
    const bucket = Math.floor(epochMs / BUCKET_MS);
    let offset = this.utcOffsets.get(bucket);
    if (offset === undefined) {
      offset = this.name === 'UTC' ? 0 : tzOffset(this.name, new Date(bucket * BUCKET_MS));
      if (Number.isNaN(offset)) offset = 0;
      this.utcOffsets.set(bucket, offset);
    }
    return offset;
  }

  /**
   * Whether a naive wall-clock reading is one a change of clocks made
   * ambiguous (repeated or skipped), and how; undefined when it names
   * exactly one instant. Changes of clocks fall on quarter hours in every
   * zone, so one answer holds for a whole bucket.
   */
  ambiguity(naiveMs: number): LocalAmbiguity | undefined {
    if (this.name === 'UTC') return undefined;
    const bucket = Math.floor(naiveMs / BUCKET_MS);
    if (this.ambiguities.has(bucket)) return this.ambiguities.get(bucket);
    const at = bucket * BUCKET_MS;
    // The offsets around: a day either way covers every change (none is closer to another).
    const candidates = [...new Set([this.offsetAt(at - 86_400_000), this.offsetAt(at), this.offsetAt(at + 86_400_000)])];
    // An offset reads this local time when the instant it gives has that offset.
    const valid = candidates.filter((o) => this.offsetAt(at - o * 60_000) === o);
    let found: LocalAmbiguity | undefined;
    if (valid.length !== 1) {
      const kind = valid.length === 0 ? 'skipped' : 'repeated';
      // Extend to the neighbouring buckets of the same kind.
      const same = (b: number) => {
        const t = b * BUCKET_MS;
        const n = candidates.filter((o) => this.offsetAt(t - o * 60_000) === o).length;
        return kind === 'skipped' ? n === 0 : n > 1;
      };
      let lo = bucket;
      let hi = bucket;
      while (lo > bucket - 16 && same(lo - 1)) lo--;
      while (hi < bucket + 16 && same(hi + 1)) hi++;
      const before = this.offsetAt(at - 86_400_000);
      const after = this.offsetAt(at + 86_400_000);
      found = { kind, from: lo * BUCKET_MS, to: (hi + 1) * BUCKET_MS, before, after };
      for (let b = lo; b <= hi; b++) this.ambiguities.set(b, found);
    } else {
      this.ambiguities.set(bucket, undefined);
    }
    return found;
  }

  private readonly ambiguities = new Map<number, LocalAmbiguity | undefined>();

  /**
   * Converts a naive wall-clock reading (see parseNaiveTimestamp) to epoch
   * ms. A repeated local time is read in its second pass and a skipped one
   * with the offset before the change; a file's reader tells the passes
   * apart (RecordReader), a time typed by a user (--since) cannot.
   */
  toEpoch(naiveMs: number): number {
    return naiveMs - this.localOffset(Math.floor(naiveMs / BUCKET_MS)) * 60_000;
  }

  /**
   * The naive times around `naiveMs` that toEpoch converts with one offset:
   * [from, to) and the milliseconds it subtracts (at most a day either way;
   * everything for UTC). The native scanner converts in such a span itself.
   */
  constantSpan(naiveMs: number): { from: number; to: number; offsetMs: number } {
    if (this.name === 'UTC') return { from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY, offsetMs: 0 };
    const bucket = Math.floor(naiveMs / BUCKET_MS);
    const offset = this.localOffset(bucket);
    const day = 86_400_000 / BUCKET_MS;
    let lo = bucket;
    let hi = bucket;
    // A span never takes in a local time a change of clocks made ambiguous: those are read one by one.
    if (this.ambiguity(naiveMs)) return { from: naiveMs, to: naiveMs, offsetMs: offset * 60_000 };
    const plain = (b: number) => this.localOffset(b) === offset && !this.ambiguity(b * BUCKET_MS);
    while (lo > bucket - day && plain(lo - 1)) lo--;
    while (hi < bucket + day && plain(hi + 1)) hi++;
    return { from: lo * BUCKET_MS, to: (hi + 1) * BUCKET_MS, offsetMs: offset * 60_000 };
  }

  /** The offset (minutes) toEpoch applies to the naive times of one bucket. */
  private localOffset(bucket: number): number {
    let offset = this.localOffsets.get(bucket);
    if (offset === undefined) {
      const at = bucket * BUCKET_MS;
      const guess = at - this.offsetAt(at) * 60_000;
      offset = this.offsetAt(guess);
      this.localOffsets.set(bucket, offset);
    }
    return offset;
  }

  /** ISO 8601 with milliseconds and this zone's offset: 2022-10-05T17:05:39.869+09:00 */
  format(epochMs: number): string {
    // The same instant again (a window's times, cited events) is the same text.
    if (epochMs === this.formattedAt) return this.formatted;
    // The text up to the second, with the offset's, is made once per second and kept in a small table by second: events
    // come in time order, and the times the windows cite come back to a few seconds again and again.
    const second = Math.floor(epochMs / 1000);
    const slot = second & (SECONDS_KEPT - 1);
    if (this.seconds[slot] !== second) {
      const offset = this.offsetAt(epochMs);
      // Made before the slot is claimed: an instant that has no text (NaN, out of range) throws and claims nothing.
      this.secondTexts[slot] = `${new Date(second * 1000 + offset * 60_000).toISOString().slice(0, 19)}.`;
      this.offsetTexts[slot] = formatOffset(offset);
      this.seconds[slot] = second;
    }
    // Whole milliseconds: a computed instant (an axis position) may carry a fraction.
    this.formattedAt = epochMs;
    return this.formatted = this.secondTexts[slot]! + millis(Math.floor(epochMs - second * 1000)) + this.offsetTexts[slot]!;
  }

  private formattedAt = Number.NaN;
  private formatted = '';
  /** format()'s table: by a second's low bits, that second, its text up to the second and its offset's text. */
  private readonly seconds: number[] = new Array<number>(SECONDS_KEPT).fill(Number.NaN);
  private readonly secondTexts: string[] = new Array<string>(SECONDS_KEPT).fill('');
  private readonly offsetTexts: string[] = new Array<string>(SECONDS_KEPT).fill('');

  /**
   * Human form for tables: 2022-10-05 17:05:39.869; in a local hour that
   * happened twice (autumn), with the offset that tells its passes apart:
   * 2024-10-27 02:05:00.000 +01:00.
   */
  formatShort(epochMs: number): string {
    // Rows come in time order: the text up to the second, and the offset of a repeated hour, are made once per second (a
    // second lies in one bucket of offsets and of ambiguities). Whole milliseconds of years 0-9999 only; others, as they come.
    const second = Math.floor(epochMs / 1000);
    if (second !== this.shortSecond) {
      if (!Number.isInteger(epochMs)) return this.formatShortOnce(epochMs);
      const offset = this.offsetAt(epochMs);
      const naive = second * 1000 + offset * 60_000;
      const local = new Date(naive).toISOString();
      if (local.length !== 24) return this.formatShortOnce(epochMs);
      this.shortSecond = second;
      this.shortPrefix = `${local.slice(0, 10)} ${local.slice(11, 20)}`;
      this.shortSuffix = this.passOffset(naive, offset);
    } else if (!Number.isInteger(epochMs)) {
      return this.formatShortOnce(epochMs);
    }
    const text = this.shortPrefix + millis(epochMs - second * 1000);
    return this.shortSuffix === '' ? text : text + this.shortSuffix;
  }

  private shortSecond = Number.NaN;
  private shortPrefix = '';
  private shortSuffix = '';

  /** formatShort of one instant, from nothing kept. */
  private formatShortOnce(epochMs: number): string {
    const offset = this.offsetAt(epochMs);
    const local = new Date(epochMs + offset * 60_000).toISOString();
    return `${local.slice(0, 10)} ${local.slice(11, 23)}${this.passOffset(epochMs + offset * 60_000, offset)}`;
  }

  /** ` +01:00` when a naive local time lies in a repeated hour (read with `offset`), else ''. */
  passOffset(naiveMs: number, offset: number): string {
    return this.ambiguity(naiveMs)?.kind === 'repeated' ? ` ${formatOffset(offset)}` : '';
  }
}

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const USER_TIME = /^(\d{4})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d{1,3}))?)?)?\s*(Z|[+-]\d\d:?\d\d)?$/;

/**
 * Parses a time typed by a user (--since, --until). Without an explicit
 * offset it is read in the logs' zone, the same way log lines are. A date or
 * time that does not exist (February 30, 25:00, minute 61) is NaN, never
 * rolled over into the next day or hour.
 */
export function parseUserTime(text: string, zone: Zone): number {
  const m = USER_TIME.exec(text.trim());
  if (!m) return Number.NaN;
  const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0', off] = m;
  const naive = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s, +ms.padEnd(3, '0'));
  // 2024-02-30 or 25:00 is a typo, not a time to roll over into the next day.
  const back = new Date(naive);
  if (back.getUTCFullYear() !== +y! || back.getUTCMonth() !== +mo! - 1 || back.getUTCDate() !== +d! ||
    back.getUTCHours() !== +h || back.getUTCMinutes() !== +mi || back.getUTCSeconds() !== +s) return Number.NaN;
  if (off !== undefined && off !== 'Z' && (+off.slice(1, 3) > 14 || +off.slice(-2) > 59)) return Number.NaN;
  if (off === undefined) return zone.toEpoch(naive);
  if (off === 'Z') return naive;
  const sign = off.startsWith('-') ? -1 : 1;
  const digits = off.slice(1).replace(':', '');
  return naive - sign * (+digits.slice(0, 2) * 60 + +digits.slice(2)) * 60_000;
}
