/** mulberry32: small, deterministic, and without an LCG's correlated draws. */
export function seeded(seed = 42) {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** `2024-02-23 07:47:50,149` from epoch ms, read as UTC. */
export function log4jTime(t) {
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())},${pad(d.getUTCMilliseconds(), 3)}`;
}

export const UNITS = { K: 1 << 10, M: 1 << 20, G: 1 << 30 };

/** `100M`, `1G`, `512K`, `12345` → bytes. */
export function parseSize(text) {
  const t = String(text).trim().toUpperCase();
  const unit = UNITS[t.slice(-1)];
  return Math.round(Number.parseFloat(t) * (unit ?? 1));
}
