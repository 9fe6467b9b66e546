import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNaiveTimestamp } from '../../src/time/timestamp.js';
import { formatOffset, parseUserTime, UnknownZoneError, Zone } from '../../src/time/zone.js';

const naive = (text: string): number => parseNaiveTimestamp(text);
const iso = (text: string): number => Date.parse(text);

describe('Zone.toEpoch (log wall clock → instant)', () => {
  it.each([
    ['UTC', '2022-10-05 17:05:39,869', '2022-10-05T17:05:39.869Z'],
    ['Asia/Seoul', '2022-10-05 17:05:39,869', '2022-10-05T08:05:39.869Z'],
    ['Asia/Seoul', '2022-01-01 05:00:00,000', '2021-12-31T20:00:00.000Z'],
    ['America/Sao_Paulo', '2024-01-01 00:00:00,000', '2024-01-01T03:00:00.000Z'],
    ['Asia/Kathmandu', '2024-01-01 00:00:00,000', '2023-12-31T18:15:00.000Z'],
    // Europe/Berlin, spring forward on 2024-03-31 at 02:00 local (01:00 UTC).
    ['Europe/Berlin', '2024-03-31 01:59:59,999', '2024-03-31T00:59:59.999Z'],
    ['Europe/Berlin', '2024-03-31 03:00:00,000', '2024-03-31T01:00:00.000Z'],
    ['Europe/Berlin', '2024-03-31 12:00:00,000', '2024-03-31T10:00:00.000Z'],
    // Fall back on 2024-10-27 at 03:00 CEST → 02:00 CET (01:00 UTC).
    ['Europe/Berlin', '2024-10-27 01:59:59,999', '2024-10-26T23:59:59.999Z'],
    ['Europe/Berlin', '2024-10-27 03:00:00,000', '2024-10-27T02:00:00.000Z'],
    ['Europe/Berlin', '2024-10-27 12:00:00,000', '2024-10-27T11:00:00.000Z'],
    ['Europe/Berlin', '2024-07-01 12:00:00,000', '2024-07-01T10:00:00.000Z'],
    ['Europe/Berlin', '2024-01-15 12:00:00,000', '2024-01-15T11:00:00.000Z'],
  ])('%s: %s → %s', (zone, text, expected) => {
    expect(new Zone(zone).toEpoch(naive(text))).toBe(iso(expected));
  });

  it('reads an ambiguous fall-back hour as one of its two real instants', () => {
    const t = new Zone('Europe/Berlin').toEpoch(naive('2024-10-27 02:30:00,000'));
    expect([iso('2024-10-27T00:30:00Z'), iso('2024-10-27T01:30:00Z')]).toContain(t);
  });

  it('maps a wall-clock time inside the spring-forward gap to a nearby instant', () => {
    const t = new Zone('Europe/Berlin').toEpoch(naive('2024-03-31 02:30:00,000'));
    expect(Math.abs(t - iso('2024-03-31T01:00:00Z'))).toBeLessThanOrEqual(60 * 60_000);
  });

  it('is monotonic across a whole DST year in 15-minute steps (outside the gap)', () => {
    const zone = new Zone('Europe/Berlin');
    let previous = Number.NEGATIVE_INFINITY;
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2025, 0, 1); t += 15 * 60_000) {
      const local = new Date(t + zone.offsetAt(t) * 60_000).toISOString().replace('T', ' ').replace('.', ',').slice(0, 23);
      const back = zone.toEpoch(naive(local));
      // Round trip is exact except within an hour of a transition (the repeated fall-back hour).
      const near = zone.offsetAt(t - 60 * 60_000) !== zone.offsetAt(t) || zone.offsetAt(t + 60 * 60_000) !== zone.offsetAt(t);
      if (!near) expect(back).toBe(t);
      if (back !== t) continue;
      expect(back).toBeGreaterThan(previous);
      previous = back;
    }
  });

  it('never consults the process zone', () => {
    expect(process.env.TZ).toBe('America/Sao_Paulo');
    expect(new Zone('UTC').toEpoch(naive('2022-10-05 00:00:00,000'))).toBe(iso('2022-10-05T00:00:00Z'));
  });

  it('rejects an unknown zone with a helpful message', () => {
    expect(() => new Zone('Mars/Olympus_Mons')).toThrow(UnknownZoneError);
    expect(() => new Zone('Mars/Olympus_Mons')).toThrow(/IANA name/);
  });
});

describe('Zone.format / formatShort / offsetAt', () => {
  it.each([
    ['UTC', '2022-10-05T17:05:39.869Z', '2022-10-05T17:05:39.869+00:00', '2022-10-05 17:05:39.869', 0],
    ['Asia/Seoul', '2022-10-05T08:05:39.869Z', '2022-10-05T17:05:39.869+09:00', '2022-10-05 17:05:39.869', 540],
    ['Europe/Berlin', '2024-07-01T10:00:00.000Z', '2024-07-01T12:00:00.000+02:00', '2024-07-01 12:00:00.000', 120],
    ['Europe/Berlin', '2024-01-15T11:00:00.000Z', '2024-01-15T12:00:00.000+01:00', '2024-01-15 12:00:00.000', 60],
    // The repeated hour: the short form gives the offset, or its two passes would read alike.
    ['Europe/Berlin', '2024-10-27T00:30:00.000Z', '2024-10-27T02:30:00.000+02:00', '2024-10-27 02:30:00.000 +02:00', 120],
    ['Europe/Berlin', '2024-10-27T01:30:00.000Z', '2024-10-27T02:30:00.000+01:00', '2024-10-27 02:30:00.000 +01:00', 60],
    ['America/Sao_Paulo', '2024-01-01T03:00:00.000Z', '2024-01-01T00:00:00.000-03:00', '2024-01-01 00:00:00.000', -180],
    ['Asia/Kathmandu', '2023-12-31T18:15:00.000Z', '2024-01-01T00:00:00.000+05:45', '2024-01-01 00:00:00.000', 345],
  ])('%s at %s', (zone, instant, formatted, short, offset) => {
    const z = new Zone(zone);
    expect(z.format(iso(instant))).toBe(formatted);
    expect(z.formatShort(iso(instant))).toBe(short);
    expect(z.offsetAt(iso(instant))).toBe(offset);
  });

  it('formatShort of instants in any order, around changes of clocks, with fractions and far years, is the text of each alone', () => {
    // The text made from nothing: the local ISO time cut to the millisecond, and the offset in a repeated hour.
    const alone = (z: Zone, t: number): string => {
      const offset = z.offsetAt(t);
      const local = new Date(t + offset * 60_000).toISOString();
      return `${local.slice(0, 10)} ${local.slice(11, 23)}${z.passOffset(t + offset * 60_000, offset)}`;
    };
    const around = [iso('2024-10-27T00:59:59.000Z'), iso('2024-10-27T01:00:00.000Z'), iso('2024-03-31T00:59:59.500Z'), iso('2024-10-27T00:15:00.000Z'), 0, iso('1969-12-31T23:59:59.000Z')];
    const instant = fc.oneof(
      fc.constantFrom(...around).chain((t) => fc.integer({ min: -3_600_000, max: 3_600_000 }).map((d) => t + d)),
      fc.double({ min: -1e13, max: 1e13, noNaN: true }),
      fc.integer({ min: -8.6e15, max: 8.6e15 }),
    );
    fc.assert(fc.property(fc.constantFrom('UTC', 'Europe/Berlin', 'America/Sao_Paulo', 'Asia/Kathmandu', 'Australia/Lord_Howe'), fc.array(instant, { maxLength: 30 }), (name, times) => {
      const z = new Zone(name);
      const sorted = [...times].sort((a, b) => a - b);
      for (const t of [...sorted, ...times]) expect(z.formatShort(t)).toBe(alone(new Zone(name), t));
    }), { numRuns: 300 });
  });

  it('format of instants in any order, again and again, seconds apart by the texts it keeps, is the text of each alone', () => {
    // The text made from nothing: the local ISO time to the second, the whole milliseconds, the offset.
    const alone = (z: Zone, t: number): string => {
      const second = Math.floor(t / 1000);
      const offset = z.offsetAt(t);
      const ms = Math.floor(t - second * 1000);
      return `${new Date(second * 1000 + offset * 60_000).toISOString().slice(0, 19)}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}${formatOffset(offset)}`;
    };
    const base = [iso('2024-10-27T00:59:59.000Z'), iso('2024-03-31T00:59:59.500Z'), 0, iso('1969-12-31T23:59:59.000Z'), iso('2024-02-23T00:00:00.020Z')];
    const instant = fc.oneof(
      // The same second's slot: 1024 s apart, either way.
      fc.constantFrom(...base).chain((t) => fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 999 })).map(([k, ms]) => t + k * 1_024_000 + ms)),
      fc.constantFrom(...base).chain((t) => fc.integer({ min: -3_600_000, max: 3_600_000 }).map((d) => t + d)),
      fc.double({ min: -1e13, max: 1e13, noNaN: true }),
    );
    fc.assert(fc.property(fc.constantFrom('UTC', 'Europe/Berlin', 'Asia/Kathmandu', 'Australia/Lord_Howe'), fc.array(instant, { maxLength: 40 }), (name, times) => {
      const z = new Zone(name);
      for (const t of [...times, ...times.slice().reverse(), ...times]) expect(z.format(t)).toBe(alone(new Zone(name), t));
    }), { numRuns: 300 });
    // An instant that has no text throws each time, whatever the text kept for its slot.
    const z = new Zone('UTC');
    expect(z.format(0)).toBe('1970-01-01T00:00:00.000+00:00');
    expect(() => z.format(Number.NaN)).toThrow(RangeError);
    expect(() => z.format(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => z.format(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(z.format(0)).toBe('1970-01-01T00:00:00.000+00:00');
  });

  it.each([[0, '+00:00'], [540, '+09:00'], [-180, '-03:00'], [330, '+05:30'], [-570, '-09:30'], [345, '+05:45']])(
    'formatOffset(%i) = %s', (minutes, text) => {
      expect(formatOffset(minutes)).toBe(text);
    },
  );
});

describe('parseUserTime', () => {
  it.each([
    ['Asia/Seoul', '2022-10-05 17:05', '2022-10-05T08:05:00.000Z'],
    ['Asia/Seoul', '2022-10-05T17:05:39', '2022-10-05T08:05:39.000Z'],
    ['Asia/Seoul', '2022-10-05 17:05:39.5', '2022-10-05T08:05:39.500Z'],
    ['Asia/Seoul', '2022-10-05 17:05:39,869', '2022-10-05T08:05:39.869Z'],
    ['Asia/Seoul', '2022-10-05', '2022-10-04T15:00:00.000Z'],
    ['Asia/Seoul', '2022-10-05 17:05Z', '2022-10-05T17:05:00.000Z'],
    ['Asia/Seoul', '2022-10-05 17:05:00+02:00', '2022-10-05T15:05:00.000Z'],
    ['Asia/Seoul', '2022-10-05 17:05:00 -0330', '2022-10-05T20:35:00.000Z'],
    ['Europe/Berlin', '2024-07-01 12:00', '2024-07-01T10:00:00.000Z'],
    ['Europe/Berlin', '2024-01-15 12:00', '2024-01-15T11:00:00.000Z'],
    ['UTC', '  2024-01-15 12:00  ', '2024-01-15T12:00:00.000Z'],
    ['UTC', '2024-02-29 23:59:59.999', '2024-02-29T23:59:59.999Z'],
    ['UTC', '2024-02-23 10:00+14:00', '2024-02-22T20:00:00.000Z'],
  ])('%s: "%s"', (zone, text, expected) => {
    expect(parseUserTime(text, new Zone(zone))).toBe(iso(expected));
  });

  it.each([
    'yesterday', '2022/10/05', '05-10-2022 10:00', '2022-10-05 7:05', '', '2022-10-05 17',
    // Dates and times that do not exist are never rolled over into the next day or hour.
    '2024-02-30', '2023-02-29 10:00', '2024-02-23 25:00', '2024-02-23 24:00', '2024-02-23 10:61', '2024-02-23 10:00:60', '2024-13-01', '2024-04-31',
    '2024-02-23 10:00+15:00', '2024-02-23 10:00+09:75',
  ])('rejects "%s"', (text) => {
    expect(parseUserTime(text, new Zone('UTC'))).toBeNaN();
  });

  it('reads a time the same way a log line with that wall clock is read', () => {
    const zone = new Zone('Europe/Berlin');
    expect(parseUserTime('2024-10-27 03:00:00.000', zone)).toBe(zone.toEpoch(naive('2024-10-27 03:00:00,000')));
  });
});
