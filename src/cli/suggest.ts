import levenshtein from 'fast-levenshtein';

/** The known name nearest to `word` (edit distance), if it is near enough to be a typo. */
export function closest(word: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = levenshtein.get(word.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/**
 * A usage message for flag values that name nothing known: each with its
 * nearest known name, then every known one. Undefined when all are known.
 */
export interface Known {
  /** What one value names, and many: 'node', 'nodes'. */
  one: string;
  many: string;
  /** Where they were looked for (' in these logs'), and what to do (' (kforensics rules lists them)'). */
  where?: string;
  hint?: string;
}

export function unknownValues(flag: string, values: readonly string[] | undefined, known: readonly string[], what: Known): string | undefined {
  const set = new Set(known);
  const unknown = (values ?? []).filter((v) => !set.has(v));
  if (unknown.length === 0) return undefined;
  const named = unknown.map((v) => {
    const near = closest(v, known);
    return `"${v}"${near ? ` (did you mean ${near}?)` : ''}`;
  });
  const where = what.where ?? '';
  const list = known.length > 0 ? `The ${what.many}${where}: ${[...known].sort().join(', ')}` : `There are no ${what.many}${where}`;
  return `--${flag} ${named.join(', ')}: no such ${what.one}${where}. ${list}${what.hint ?? ''}.`;
}
