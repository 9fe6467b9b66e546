/**
 * `key: value` tokenizer for DumpLogSegments lines. Every output family from
 * 0.10 to 4.3 prints `name: value` pairs separated by single spaces; what
 * differs is which names appear and in what order. So there is one tokenizer
 * and no per-family regular expression.
 *
 * Free-text values are the hard part:
 *  - `headerKeys: [a,b:c,d]` — header keys may hold `:` and `,` (and, in
 *    theory, `] `); the list ends at the first `]` that is followed by the end
 *    of the line or by another `name:`/`Name {` token.
 *  - `key: …` runs to ` payload: ` (or the end), `payload: …` to the end of
 *    the line: payloads hold spaces, JSON, `a: b` and anything else.
 *  - decoder output without a colon (`SnapshotHeader {json}`) and any value
 *    that starts with `{` run to the end of the line.
 */

export interface Token {
  key: string;
  value: string;
}

export interface Tokens {
  tokens: Token[];
  /** Text before the first key (normally empty). */
  lead: string;
  /**
   * Text that belongs to no key: words after a one-word value
   * (`baseSequence: 0 l` when a paste cut the line mid-token).
   */
  stray: string;
  /** The line looks cut: stray text at its end, or a one-word key with no value at the end. */
  cut: boolean;
}

/** Keys whose value runs to the end of the line. */
const TO_END = new Set(['payload']);
/** Keys whose value may contain spaces (decoded or free text) and is taken as is. */
const FREE_TEXT = new Set(['key', 'payload', 'headerKeys', 'LeaderChange', 'KRaftVersion', 'KRaftVoters', 'SnapshotHeader', 'SnapshotFooter']);

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 95;
}

/**
 * If a `name: ` (or `name:` at the end) starts at `i` (which is 0 or follows
 * a space), returns the index of its colon, else -1.
 */
function keyAt(text: string, i: number): number {
  if (!isIdentStart(text.charCodeAt(i))) return -1;
  let j = i + 1;
  while (j < text.length && isIdentPart(text.charCodeAt(j))) j++;
  if (text.charCodeAt(j) !== 58 /* : */) return -1;
  if (j + 1 < text.length && text.charCodeAt(j + 1) !== 32) return -1;
  return j;
}

/** `Name {` decoder token (SnapshotHeader {json}) starting at i, or -1. */
function braceTokenAt(text: string, i: number): number {
  if (!isIdentStart(text.charCodeAt(i))) return -1;
  let j = i + 1;
  while (j < text.length && isIdentPart(text.charCodeAt(j))) j++;
  return text.charCodeAt(j) === 32 && text.charCodeAt(j + 1) === 123 /* { */ ? j : -1;
}

/**
 * Start of the next `name:` token at or after `from` (its name's index), or
 * -1. Probes only the colons: a name is an identifier after a space (or the
 * line start) whose colon is followed by a space or the end of the line.
 */
let lastColon = -1;
function nextKey(text: string, from: number): number {
  const len = text.length;
  let c = text.indexOf(':', from);
  while (c !== -1) {
    if (c + 1 === len || text.charCodeAt(c + 1) === 32) {
      let s = c;
      while (s > from && isIdentPart(text.charCodeAt(s - 1))) s--;
      if (s < c && isIdentStart(text.charCodeAt(s)) && (s === 0 || text.charCodeAt(s - 1) === 32)) {
        lastColon = c;
        return s;
      }
    }
    c = text.indexOf(':', c + 1);
  }
  return -1;
}

/** End (exclusive) of a `[…]` header-key list that opens at `open`. */
function headerListEnd(text: string, open: number): number {
  let last = -1;
  let i = open;
  for (;;) {
    const close = text.indexOf(']', i + 1);
    if (close === -1) break;
    last = close;
    const after = close + 1;
    if (after === text.length) return after;
    if (text.charCodeAt(after) === 32 && (keyAt(text, after + 1) !== -1 || braceTokenAt(text, after + 1) !== -1)) return after;
    i = close;
  }
  return last === -1 ? text.length : last + 1;
}

export function tokenize(text: string): Tokens {
  const tokens: Token[] = [];
  let stray = '';
  let cut = false;
  let pos = 0;
  // Find the first key.
  const first = nextKey(text, 0);
  if (first === -1) return { tokens, lead: text, stray: '', cut: false };
  const lead = text.slice(0, first).trim();
  pos = first;
  let known = lastColon;
  while (pos < text.length) {
    const colon = known !== -1 ? known : keyAt(text, pos);
    known = -1;
    if (colon === -1) {
      // Decoder token without a colon: `SnapshotHeader {json}` runs to the end.
      const b = braceTokenAt(text, pos);
      if (b !== -1) {
        tokens.push({ key: text.slice(pos, b), value: text.slice(b + 1) });
      } else {
        stray += (stray ? ' ' : '') + text.slice(pos);
      }
      break;
    }
    const key = text.slice(pos, colon);
    const vStart = Math.min(colon + 2, text.length);
    if (TO_END.has(key) || text.charCodeAt(vStart) === 123 /* { */) {
      tokens.push({ key, value: text.slice(vStart) });
      break;
    }
    if (key === 'key') {
      const p = text.indexOf(' payload: ', vStart - 1);
      const pEnd = text.endsWith(' payload:') ? text.length - 9 : -1;
      const end = p !== -1 ? p : pEnd !== -1 ? pEnd : text.length;
      tokens.push({ key, value: text.slice(vStart, Math.max(vStart, end)) });
      if (end >= text.length) break;
      pos = end + 1;
      continue;
    }
    if (key === 'headerKeys' && text.charCodeAt(vStart) === 91 /* [ */) {
      const end = headerListEnd(text, vStart);
      tokens.push({ key, value: text.slice(vStart, end) });
      pos = end + 1;
      if (end < text.length && braceTokenAt(text, pos) !== -1) continue;
      continue;
    }
    const next = nextKey(text, vStart);
    const vEnd = next === -1 ? text.length : next - 1;
    let value = text.slice(vStart, vEnd);
    if (!FREE_TEXT.has(key)) {
      const sp = value.indexOf(' ');
      if (sp !== -1) {
        // `compresscodec: NoCompressionCodec` is one word; anything after the
        // first word is not part of this value.
        const rest = value.slice(sp + 1).trim();
        value = value.slice(0, sp);
        if (rest) {
          stray += (stray ? ' ' : '') + rest;
          if (next === -1) cut = true;
        }
      }
      if (value === '' && next === -1) cut = true;
    }
    tokens.push({ key, value });
    if (next === -1) break;
    known = lastColon;
    pos = next;
  }
  return { tokens, lead, stray, cut };
}

/** First value of a key, or undefined. */
export function valueOf(tokens: readonly Token[], key: string): string | undefined {
  for (const t of tokens) if (t.key === key) return t.value;
  return undefined;
}

/**
 * Integer value of a token (`-1`, `1664956976908`, `123}` with the stray
 * brace of 3.0–4.2 legacy records), or null when it has none.
 */
export function intValue(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  // Fast path: plain digits with an optional sign.
  let i = value.charCodeAt(0) === 45 ? 1 : 0;
  let plain = i < value.length && value.length - i <= 15;
  for (; plain && i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) plain = false;
  }
  if (plain) return Number(value);
  let end = value.length;
  while (end > 0 && (value.charCodeAt(end - 1) < 48 || value.charCodeAt(end - 1) > 57)) end--;
  if (end === 0) return null;
  const digits = value.slice(0, end);
  if (!/^-?\d+$/.test(digits)) return null;
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : null;
}

/** `OptionalLong[1650000000000]` / `OptionalLong.empty` / `Some(100)` / `None` → number or null. */
export function optionalLong(value: string | undefined): number | null {
  if (value === undefined) return null;
  const m = /^(?:OptionalLong\[|Some\()?(-?\d+)[\])]?$/.exec(value);
  return m ? Number(m[1]) : null;
}

export function boolValue(value: string | undefined): boolean | null {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}
