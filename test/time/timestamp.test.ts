import { describe, expect, it } from 'vitest';
import { daysFromCivil, parseNaiveTimestamp } from '../../src/time/timestamp.js';

const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number => Date.UTC(y, mo - 1, d, h, mi, s, ms);

describe('parseNaiveTimestamp', () => {
  it.each([
    ['log4j ISO8601 (comma, space)', '2022-10-05 17:05:39,869', utc(2022, 10, 5, 17, 5, 39, 869)],
    ['Log4j 2 ISO8601 with T', '2023-05-19T23:47:57,354', utc(2023, 5, 19, 23, 47, 57, 354)],
    ['dot before millis', '2022-10-05 17:05:39.869', utc(2022, 10, 5, 17, 5, 39, 869)],
    ['T and dot', '2022-10-05T17:05:39.001', utc(2022, 10, 5, 17, 5, 39, 1)],
    ['epoch start', '1970-01-01 00:00:00,000', 0],
    ['leap day in a leap year', '2024-02-29 12:00:00,000', utc(2024, 2, 29, 12)],
    ['leap day in a 400-year leap year', '2000-02-29 00:00:00,000', utc(2000, 2, 29)],
    ['end of year', '2021-12-31 23:59:59,999', utc(2021, 12, 31, 23, 59, 59, 999)],
    ['leap second shape is accepted', '2016-12-31 23:59:60,000', utc(2016, 12, 31, 23, 59, 59) + 1000],
    ['Thai Buddhist-calendar year (locale artefact) still parses', '2565-09-05 22:15:46,507', utc(2565, 9, 5, 22, 15, 46, 507)],
    ['trailing text is ignored', '2022-10-05 17:05:39,869 [myid:1] - INFO', utc(2022, 10, 5, 17, 5, 39, 869)],
  ])('%s: %s', (_name, text, expected) => {
    expect(parseNaiveTimestamp(text)).toBe(expected);
  });

  it.each([
    ['Feb 29 in a common year', '2023-02-29 00:00:00,000'],
    ['Feb 29 in a century non-leap year', '1900-02-29 00:00:00,000'],
    ['Feb 29 in 2100', '2100-02-29 00:00:00,000'],
    ['Feb 30', '2024-02-30 00:00:00,000'],
    ['April 31', '2022-04-31 10:00:00,000'],
    ['month 00', '2022-00-10 10:00:00,000'],
    ['month 13', '2022-13-10 10:00:00,000'],
    ['day 00', '2022-01-00 10:00:00,000'],
    ['day 32', '2022-01-32 10:00:00,000'],
    ['hour 24', '2022-01-10 24:00:00,000'],
    ['minute 60', '2022-01-10 10:60:00,000'],
    ['second 61', '2022-01-10 10:00:61,000'],
    ['before 1970', '1969-12-31 23:59:59,999'],
    ['letters in digits', '2022-1O-05 17:05:39,869'],
    ['slash date', '2022/10/05 17:05:39,869'],
    ['no millis', '2022-10-05 17:05:39'],
    ['colon before millis', '2022-10-05 17:05:39:869'],
    ['too short', '2022-10-05 17:05'],
    ['empty', ''],
    ['spliced writers', '2016-08-2016-08-27 21:32:47,222'],
  ])('rejects %s: %s', (_name, text) => {
    expect(parseNaiveTimestamp(text)).toBeNaN();
  });

  it('reads at an offset (the Kafka layout bracket)', () => {
    expect(parseNaiveTimestamp('[2022-10-05 17:05:39,869] INFO x', 1)).toBe(utc(2022, 10, 5, 17, 5, 39, 869));
  });

  it('gives the same answer after the day cache switches between days', () => {
    const a = '2022-10-05 17:05:39,869';
    const b = '2022-10-06 01:00:00,000';
    const first = parseNaiveTimestamp(a);
    parseNaiveTimestamp(b);
    expect(parseNaiveTimestamp(a)).toBe(first);
    expect(parseNaiveTimestamp(b)).toBe(utc(2022, 10, 6, 1));
  });

  it('does not depend on the process time zone (pinned to America/Sao_Paulo)', () => {
    expect(process.env.TZ).toBe('America/Sao_Paulo');
    expect(parseNaiveTimestamp('2022-10-05 00:00:00,000')).toBe(utc(2022, 10, 5));
  });
});

describe('daysFromCivil', () => {
  it.each([
    [1970, 1, 1], [2000, 2, 29], [2000, 3, 1], [1999, 12, 31], [2024, 12, 31], [2100, 3, 1], [1600, 1, 1],
  ])('%i-%i-%i matches Date.UTC', (y, m, d) => {
    expect(daysFromCivil(y, m, d) * 86_400_000).toBe(utc(y, m, d));
  });
});
