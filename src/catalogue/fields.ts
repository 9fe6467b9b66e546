import type { FieldType } from './schema.js';

export type FieldValue = string | number | (string | number)[];

const COLLECTION = /^\w*(?:Set|List|Buffer|Seq)\(/;
const OLD_PARTITION = /\[([^,\]\s]+),(\d+)\]/g;
const PARTITION = /^(.+)-(\d+)$/;

/**
 * Partitions as `topic-N` from every rendering Kafka used: `[orders,0],[orders,1]`
 * (0.10), `orders-0,orders-1` (0.11–2.0), `Set(orders-0, orders-1)` and
 * `HashSet(…)` (2.1+), also when a paste cut the list short.
 */
export function parsePartitions(text: string): string[] {
  const out: string[] = [];
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
  const out: number[] = [];
  for (const m of text.matchAll(/-?\d+/g)) out.push(Number(m[0]));
  return out;
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
