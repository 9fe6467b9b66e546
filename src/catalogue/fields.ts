import type { FieldType } from './schema.js';

export type FieldValue = string | number | (string | number)[];

const OLD_PARTITION = /\[([^,[\]\s]+),(\d+)\]/g;
const PARTITION = /^(.+)-(\d+)$/;
// Map keys of "Added fetcher … Map(orders-0 -> (offset=42, …), …)" (2.1+).
const MAP_KEY = /(?:^|[(,] ?)([^\s(),[\]]+) -> /g;
// 0.10.1/0.10.2 "Added fetcher for partitions List([orders-0, initOffset 42 to broker …] , …)".
const INIT_OFFSET = /\[([^\s,[\]]+), initOffset /g;

/**
 * Partitions as `topic-N` from every rendering Kafka used: `[orders,0],[orders,1]`
 * (0.10), `orders-0,orders-1` (0.11–2.0), `Set(orders-0, orders-1)` and
 * `HashSet(…)` (2.1+), also when a paste cut the list short; and the keys of
 * the fetcher maps (`Map(orders-0 -> …)`, 0.10.2's `List([orders-0, initOffset …])`).
 */
export function parsePartitions(text: string): string[] {
  const out: string[] = [];
  if (text.includes(' -> ')) {
    for (const m of text.matchAll(MAP_KEY)) if (PARTITION.test(m[1]!)) out.push(m[1]!);
    return out;
  }
  if (text.includes(', initOffset ') && !OLD_PARTITION.test(text)) {
    for (const m of text.matchAll(INIT_OFFSET)) if (PARTITION.test(m[1]!)) out.push(m[1]!);
    return out;
  }
  OLD_PARTITION.lastIndex = 0;
  if (text.includes('[') && OLD_PARTITION.test(text)) {
    OLD_PARTITION.lastIndex = 0;
    for (const m of text.matchAll(OLD_PARTITION)) out.push(`${m[1]}-${m[2]}`);
    return out;
  }
  listedPartitions(text, out);
  return out;
}

/**
 * The partitions of a plain list (`orders-0,orders-1`, `Set(orders-0, orders-1)`),
 * read by offsets: what `text.trim().replace(COLLECTION, '')` less a closing
 * `)`, split at commas, would give of tokens that, trimmed, match PARTITION.
 * The strings made that way (a third of the time of a dense log's fields)
 * are not made; only the partitions are.
 */
function listedPartitions(text: string, out: string[]): void {
  let s = 0;
  let e = text.length;
  while (s < e && isTrimmed(text.charCodeAt(s))) s++;
  while (e > s && isTrimmed(text.charCodeAt(e - 1))) e--;
  // COLLECTION: word characters up to the first other, which is `(`, ending in one of the names.
  let w = s;
  while (w < e && isWordChar(text.charCodeAt(w))) w++;
  if (w < e && text.charCodeAt(w) === 0x28 && COLLECTION_NAMES.some((name) => w - name.length >= s && text.startsWith(name, w - name.length))) s = w + 1;
  if (e > s && text.charCodeAt(e - 1) === 0x29) e--;
  for (let from = s; ;) {
    let to = text.indexOf(',', from);
    if (to === -1 || to > e) to = e;
    let a = from;
    let b = to;
    while (a < b && isTrimmed(text.charCodeAt(a))) a++;
    while (b > a && isTrimmed(text.charCodeAt(b - 1))) b--;
    if (isPartition(text, a, b)) out.push(text.slice(a, b));
    if (to >= e) return;
    from = to + 1;
  }
}

const COLLECTION_NAMES = ['Set', 'List', 'Buffer', 'Seq'];

/** PARTITION's test of text[a, b): digits to the end after a `-`, and before it at least one character, none a line terminator (`.`). */
function isPartition(text: string, a: number, b: number): boolean {
  let d = b;
  while (d > a && isDigit(text.charCodeAt(d - 1))) d--;
  if (d === b || d - 1 <= a || text.charCodeAt(d - 1) !== 0x2d) return false;
  for (let i = a; i < d - 1; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) return false;
  }
  return true;
}

/** `\w`. */
function isWordChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

/** What String.prototype.trim removes: white space and line terminators. */
function isTrimmed(c: number): boolean {
  return (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Broker ids from `1,2,3`, `List(1, 2)`, `[1, 2]` or `Set(1)`. */
export function parseIds(text: string): number[] {
  // The numbers /-?\d+/g would match, read in one loop (no match objects): a minus counts when a digit follows it.
  const out: number[] = [];
  const end = text.length;
  let i = 0;
  while (i < end) {
    const c = text.charCodeAt(i);
    const from = i;
    if (c === 0x2d && i + 1 < end && isDigit(text.charCodeAt(i + 1))) i += 2;
    else if (isDigit(c)) i++;
    else {
      i++;
      continue;
    }
    while (i < end && isDigit(text.charCodeAt(i))) i++;
    out.push(Number(text.slice(from, i)));
  }
  return out;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

export function convertField(type: FieldType | undefined, text: string): FieldValue {
  switch (type) {
    case 'int': {
      const n = Number(text);
      return Number.isFinite(n) ? n : text;
    }
    case 'partitions': return parsePartitions(text);
    case 'ids': return parseIds(text);
    default: return text;
  }
}
