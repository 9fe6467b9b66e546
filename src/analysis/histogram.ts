/**
 * Fixed-size log-scale histogram of non-negative millisecond spacings: bucket
 * i > 0 holds values in (1.01^(i-1), 1.01^i], bucket 0 holds 0 (and values
 * below 1 ms). ~2,800 buckets cover 1 ms to 30 years at 1 % resolution; the
 * memory is the same for ten records or ten billion.
 */
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
const BUCKETS = 2_900;

function bucketOf(ms: number): number {
  return ms < 1 ? 0 : Math.min(BUCKETS - 1, 1 + Math.floor(Math.log(ms) / LOG_GROWTH));
}

/** Buckets of the whole-millisecond spacings below SMALL. */
const SMALL = 4096;
const SMALL_BUCKET = Uint16Array.from({ length: SMALL }, (_, ms) => bucketOf(ms));

export class SpacingHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  /** Exact extremes, so a percentile at the ends is not rounded. */
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;
  count = 0;

  add(ms: number): void {
    // Most spacings are a few ms: their bucket comes from a table made with the same formula.
    const i = ms < SMALL && ms === Math.floor(ms) && ms >= 0 ? SMALL_BUCKET[ms]! : bucketOf(ms);
    this.counts[i]!++;
    this.count++;
    if (ms < this.lo) this.lo = ms;
    if (ms > this.hi) this.hi = ms;
  }

  /**
   * Nearest-rank percentile (q in 0..100), as the upper edge of its bucket
   * (at most 1 % above the true value), clamped to the exact extremes.
   */
  percentile(q: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.max(1, Math.ceil((q / 100) * this.count - 1e-9));
    if (rank === 1) return this.lo;
    if (rank >= this.count) return this.hi;
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) {
        const edge = i === 0 ? 0 : GROWTH ** i;
        return Math.min(this.hi, Math.max(this.lo, edge));
      }
    }
    return this.hi;
  }
}
