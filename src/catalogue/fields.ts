import type { FieldType } from './schema.js';

export type FieldValue = string | number | (string | number)[];

const COLLECTION = /^\w*(?:Set|List|Buffer|Seq)\(/;
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
  let body = text.trim().replace(COLLECTION, '');
  if (body.endsWith(')')) body = body.slice(0, -1);
  for (const token of body.split(',')) {
    const t = token.trim();
    if (PARTITION.test(t)) out.push(t);
  }
  return out;
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
