// Strings that make a backtracking regular expression blow up, for the
// regex-safety tests of the catalogue and of the readers.
export const ADVERSARIAL_SIZE = 50_000;

export const fill = (unit: string): string => unit.repeat(Math.ceil(ADVERSARIAL_SIZE / unit.length)).slice(0, ADVERSARIAL_SIZE);

/** Literal runs of a pattern: text left after dropping escapes, classes and group syntax. */
export function literals(source: string): string[] {
  const text = source
    .replace(/\\./g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\(\?(?:<[\w$]+>|[:=!]|<[=!])/g, '(');
  return [...new Set(text.split(/[()|?*+{}^$.[\]]+/).filter((s) => s.trim().length >= 2))].slice(0, 12);
}

/**
 * How long `run` takes, in milliseconds of the process's CPU time, as the best
 * of up to `tries` runs: a backtracking pattern is slow every time. CPU time,
 * not the clock, because on a loaded machine a run is descheduled for longer
 * than a linear pattern takes; the best of several absorbs a GC pause. Stops
 * at the first run under `budgetMs`.
 */
export function bestTime(run: () => void, budgetMs: number, tries = 5): number {
  let best = Infinity;
  for (let i = 0; i < tries && best >= budgetMs; i++) {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}
