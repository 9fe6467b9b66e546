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
