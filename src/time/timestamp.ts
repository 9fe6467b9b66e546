/**
 * Fixed-offset timestamp parsing for log4j / logback layouts.
 *
 * A general-purpose date parser costs ~8 µs a line; this reads the digits in
 * place (~30 ns) and returns "naive" milliseconds: the wall-clock reading as if
 * it were UTC. The zone is applied afterwards, once, by {@link Zone}.
 */

const ZERO = 48;

function digits(s: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = s.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

let cachedDayKey = -1;
let cachedDayMs = 0;

/**
 * Reads `yyyy-MM-dd HH:mm:ss,SSS` (or `T` for the space, `.` for the comma) at
 * `at`. Returns naive epoch milliseconds, or NaN when the text is not a valid
 * timestamp.
 */
export function parseNaiveTimestamp(s: string, at = 0): number {
  if (s.length < at + 23) return Number.NaN;
  const sep = s.charCodeAt(at + 10);
  const frac = s.charCodeAt(at + 19);
  if (
    s.charCodeAt(at + 4) !== 45 || s.charCodeAt(at + 7) !== 45 ||
    (sep !== 32 && sep !== 84) ||
    s.charCodeAt(at + 13) !== 58 || s.charCodeAt(at + 16) !== 58 ||
    (frac !== 44 && frac !== 46)
  ) return Number.NaN;
  const year = digits(s, at, 4);
  const month = digits(s, at + 5, 2);
  const day = digits(s, at + 8, 2);
  const hour = digits(s, at + 11, 2);
  const minute = digits(s, at + 14, 2);
  const second = digits(s, at + 17, 2);
  const milli = digits(s, at + 20, 3);
  return naiveFromFields(year, month, day, hour, minute, second, milli);
}

/**
 * Naive epoch milliseconds of a wall-clock reading whose fields were read
 * from text or bytes (a negative field is a non-digit), or NaN when it is no
 * valid time. One place validates and caches the day for both readers.
 */
export function naiveFromFields(
  year: number, month: number, day: number, hour: number, minute: number, second: number, milli: number,
): number {
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return Number.NaN;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60 || milli < 0) return Number.NaN;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return Number.NaN;
  const dayKey = year * 10000 + month * 100 + day;
  if (dayKey !== cachedDayKey) {
    cachedDayKey = dayKey;
    cachedDayMs = daysFromCivil(year, month, day) * 86_400_000;
  }
  return cachedDayMs + ((hour * 60 + minute) * 60 + second) * 1000 + milli;
}
