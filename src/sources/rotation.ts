import { basename, dirname, join } from 'node:path';
import { COMPRESSED_SUFFIX } from './decompress.js';

// Suffixes appenders add when they roll a file: log4j DailyRollingFileAppender
// (`.2022-10-05-17`, `.2022-10-05`), RollingFileAppender and logback (`.1`),
// each optionally compressed afterwards (.gz, .xz, .bz2, .zst, .lz4).
const DATE_SUFFIX = /\.(\d{4}-\d\d-\d\d(?:-\d\d)?)$/;
const INDEX_SUFFIX = /\.(\d+)$/;

export interface RotationName {
  /** The live file's name: `server.log` for `server.log.2022-10-05-17.gz`. */
  family: string;
  /** Sort key within the family, oldest first. */
  order: [number, string | number];
}

export function rotationName(path: string): RotationName {
  const name = basename(path).replace(COMPRESSED_SUFFIX, '');
  const date = DATE_SUFFIX.exec(name);
  if (date) return { family: join(dirname(path), name.slice(0, date.index)), order: [0, date[1]!] };
  const index = INDEX_SUFFIX.exec(name);
  if (index && index.index > 0 && /[a-z]/i.test(name.slice(0, index.index))) {
    return { family: join(dirname(path), name.slice(0, index.index)), order: [1, -Number(index[1])] };
  }
  return { family: join(dirname(path), name), order: [2, 0] };
}

/** Groups paths into rotation families, each ordered oldest file first. */
export function groupRotations<T extends { path: string }>(files: readonly T[]): Map<string, T[]> {
  const families = new Map<string, { file: T; order: RotationName['order'] }[]>();
  for (const file of files) {
    const { family, order } = rotationName(file.path);
    const list = families.get(family) ?? [];
    list.push({ file, order });
    families.set(family, list);
  }
  const out = new Map<string, T[]>();
  for (const [family, list] of families) {
    list.sort((a, b) => a.order[0] - b.order[0] || compare(a.order[1], b.order[1]));
    out.set(family, list.map((e) => e.file));
  }
  return out;
}

function compare(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}
