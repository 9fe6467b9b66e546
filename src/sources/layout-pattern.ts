import { basename } from 'node:path';
import type { LineFix } from './prefix.js';

/**
 * Layouts built from a log4j ConversionPattern: the bundle's own
 * `log4j.properties` says how each appender wrote its file
 * (`log4j.appender.kafkaAppender.File=${kafka.logs.dir}/server.log`,
 * `…layout.ConversionPattern=[%d] [%p] [%t] [%c] - %m%n`). A pattern becomes a
 * line fix (prefix.ts) that rewrites a record start written with it into
 * Kafka's own `[%d] %p %m (%c)` — so everything after (sniffing, identity,
 * rules, accounting) reads it as Kafka's layout — and leaves other lines
 * (continuations) as they are.
 *
 * Understood: `%d` with no format, `{ISO8601}`, or a SimpleDateFormat of
 * year, month, day, hours, minutes, seconds and milliseconds (a zone in it
 * is matched and not kept: --tz applies); `%p`, `%c`/`%C` (with `{n}`),
 * `%t`, `%m`, `%n`, `%L`, `%M`, `%F`, `%l`, `%x`, `%X{…}`, `%r`, `%%`, with
 * any width (`%-5p`). A pattern without `%d`, `%p` or `%m` cannot make a
 * record and is not used.
 */
export interface PatternLayout {
  pattern: string;
  /** Name of the file its appender writes, when the configuration says. */
  file?: string;
}

const LEVEL = '(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|SEVERE)';

interface Compiled {
  regex: RegExp;
  /** Group numbers of the fields. */
  groups: { y: number; mo: number; d: number; h: number; mi: number; s: number; ms: number; level: number; logger?: number; message: number };
}

const compiled = new Map<string, Compiled | null>();

/** log4j 1 letters, and the words log4j 2 and logback give them. */
const CONVERSIONS: Record<string, string> = {
  d: 'd', date: 'd', p: 'p', le: 'p', level: 'p', c: 'c', lo: 'c', logger: 'c', C: 'C', class: 'C',
  t: 't', thread: 't', tn: 't', m: 'm', msg: 'm', message: 'm', n: 'n', L: 'L', line: 'L', M: 'M', method: 'M',
  F: 'F', file: 'F', l: 'l', x: 'x', NDC: 'x', X: 'X', mdc: 'X', MDC: 'X', r: 'r', relative: 'r', '%': '%',
  // The throwable is printed on the lines after the message: nothing on the record's line.
  ex: 'ex', exception: 'ex', throwable: 'ex', xEx: 'ex', xException: 'ex', rEx: 'ex', wEx: 'ex',
};

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A SimpleDateFormat (or log4j's named one) as a regex, with its fields' groups. */
function datePart(format: string | undefined, next: () => number, groups: Partial<Compiled['groups']>): string | undefined {
  const f = format === undefined || format === 'ISO8601' || format === 'DEFAULT' ? 'yyyy-MM-dd HH:mm:ss,SSS'
    : format === 'ISO8601_BASIC' ? 'yyyyMMdd HHmmss,SSS' : format;
  let out = '';
  let i = 0;
  while (i < f.length) {
    const c = f[i]!;
    if (c === "'") {
      const end = f.indexOf("'", i + 1);
      if (end === -1) return undefined;
      out += escape(f.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    let run = 1;
    while (f[i + run] === c) run++;
    i += run;
    switch (c) {
      case 'y': groups.y = next(); out += '(\\d{4})'; break;
      case 'M': if (run > 2) return undefined; groups.mo = next(); out += '(\\d{2})'; break;
      case 'd': groups.d = next(); out += '(\\d{2})'; break;
      case 'H': groups.h = next(); out += '(\\d{2})'; break;
      case 'm': groups.mi = next(); out += '(\\d{2})'; break;
      case 's': groups.s = next(); out += '(\\d{2})'; break;
      case 'S': groups.ms = next(); out += `(\\d{${run}})`; break;
      case 'Z': case 'X': case 'z': out += '(?:Z|[+-]\\d\\d:?\\d\\d|[A-Z]{1,5})'; break;
      default:
        if (/[A-Za-z]/.test(c)) return undefined;
        out += escape(c.repeat(run));
    }
  }
  return out;
}

function compile(pattern: string): Compiled | null {
  let n = 0;
  const next = (): number => ++n;
  const groups: Partial<Compiled['groups']> = {};
  let re = '^';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c !== '%') {
      re += escape(c);
      i++;
      continue;
    }
    const m = /^%(-?\d+)?(?:\.-?\d+)?([a-zA-Z]+|%)(?:\{([^}]*)\})*/.exec(pattern.slice(i));
    if (!m) return null;
    i += m[0].length;
    const width = m[1] ? Math.abs(Number(m[1])) : 0;
    const pad = width > 0 ? ' *' : '';
    const word = CONVERSIONS[m[2]!];
    if (word === undefined) return null;
    switch (word) {
      case 'd': {
        const d = datePart(m[3], next, groups);
        if (d === undefined) return null;
        re += d;
        break;
      }
      case 'p': groups.level = next(); re += `${pad}${LEVEL}${pad}`; break;
      case 'c': case 'C': groups.logger = next(); re += `${pad}([\\w.$-]+)${pad}`; break;
      case 'm': groups.message = next(); re += '(.*)'; break;
      case 'n': case 'ex': break;
      case 'L': re += `${pad}\\d+${pad}`; break;
      case 'r': re += `${pad}\\d+${pad}`; break;
      case '%': re += '%'; break;
      // Thread, NDC, MDC, method, file, location: text of their own, matched lazily.
      case 't': case 'x': case 'X': case 'M': case 'F': case 'l': re += '.*?'; break;
      default: return null;
    }
  }
  const g = groups;
  if (g.y === undefined || g.mo === undefined || g.d === undefined || g.h === undefined || g.mi === undefined || g.s === undefined
    || g.level === undefined || g.message === undefined) return null;
  try {
    return { regex: new RegExp(`${re}$`), groups: { ms: 0, ...g } as Compiled['groups'] };
  } catch {
    return null;
  }
}

/** The line fix for a pattern, or undefined when the pattern cannot make records. */
export function patternFix(pattern: string | undefined): LineFix | undefined {
  if (!pattern) return undefined;
  let c = compiled.get(pattern);
  if (c === undefined) compiled.set(pattern, c = compile(pattern));
  if (!c) return undefined;
  const { regex, groups: g } = c;
  return (line) => {
    // Record starts begin with their date (or a bracket, a level): a cheap gate before the regex.
    const m = regex.exec(line);
    if (!m) return line;
    const ms = g.ms ? m[g.ms]!.padEnd(3, '0').slice(0, 3) : '000';
    const level = m[g.level] === 'WARNING' ? 'WARN' : m[g.level] === 'SEVERE' ? 'ERROR' : m[g.level]!;
    const time = `${m[g.y]}-${m[g.mo]}-${m[g.d]} ${m[g.h]}:${m[g.mi]}:${m[g.s]},${ms}`;
    return `[${time}] ${level} ${m[g.message]} (${g.logger ? m[g.logger] : 'unknown'})`;
  };
}

/** The ConversionPatterns of a log4j 1 properties file, with the file each appender writes. */
export function patternsFromProperties(text: string): PatternLayout[] {
  const props = new Map<string, string>();
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = pending + raw.trim();
    pending = '';
    if (line.endsWith('\\')) {
      pending = line.slice(0, -1);
      continue;
    }
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const eq = line.search(/[=:]/);
    if (eq <= 0) continue;
    props.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const out: PatternLayout[] = [];
  for (const [key, value] of props) {
    const m = /^log4j\.appender\.([^.]+)\.layout\.ConversionPattern$/.exec(key);
    if (!m || compile(value) === null) continue;
    const file = props.get(`log4j.appender.${m[1]}.File`);
    out.push({ pattern: value, ...(file && { file: basename(file) }) });
  }
  return out;
}

/** Whether a path names a logging configuration whose patterns are read (log4j 1 and 2, logback). */
export function isLog4jProperties(path: string): boolean {
  return /^(?:(?:tools-|connect-|zookeeper-)?log4j2?[\w.-]*\.(?:properties|xml|ya?ml|json)|logback[\w.-]*\.xml)$/.test(basename(path));
}

/**
 * The patterns of a log4j 2 or logback configuration (XML, YAML, JSON or
 * log4j 2 properties). The file an appender writes is not matched to its
 * pattern here: each pattern is tried on the files in no known layout.
 */
export function patternsFromConfig(path: string, text: string): PatternLayout[] {
  if (/\.properties$/.test(path)) {
    const v1 = patternsFromProperties(text);
    if (v1.length > 0) return v1;
  }
  const found = new Set<string>();
  const unxml = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  for (const m of text.matchAll(/<PatternLayout\b[^>]*?\bpattern\s*=\s*"([^"]*)"/g)) found.add(unxml(m[1]!));
  for (const m of text.matchAll(/<(?:pattern|Pattern)>([^<]*)<\/(?:pattern|Pattern)>/g)) found.add(unxml(m[1]!.trim()));
  // YAML and JSON (`pattern: "…"`, `"pattern": "…"`) and log4j 2 properties (`appender.x.layout.pattern = …`).
  for (const m of text.matchAll(/^\s*"?pattern"?\s*:\s*"((?:[^"\\]|\\.)*)"/gm)) found.add(m[1]!.replace(/\\(.)/g, '$1'));
  for (const m of text.matchAll(/^\s*pattern\s*:\s*'([^']*)'/gm)) found.add(m[1]!);
  for (const m of text.matchAll(/^\s*appender\.[\w-]+\.layout\.pattern\s*=\s*(.+?)\s*$/gm)) found.add(m[1]!);
  return [...found].filter((pattern) => compile(pattern) !== null).map((pattern) => ({ pattern }));
}

/** Share of a head's non-empty lines a pattern must read as record starts to be used. */
const RECORDS_SHARE = 0.1;

/**
 * The pattern that reads a file's head, preferring one whose appender writes
 * a file of this name: undefined when none reads enough of it.
 */
export function choosePattern(family: string, head: readonly string[], layouts: readonly PatternLayout[]): string | undefined {
  const lines = head.filter((l) => l.trim() !== '');
  if (lines.length === 0) return undefined;
  const name = basename(family);
  const ordered = [...layouts.filter((l) => l.file === name), ...layouts.filter((l) => l.file !== name)];
  for (const l of ordered) {
    const fix = patternFix(l.pattern);
    if (!fix) continue;
    const records = lines.filter((line) => fix(line) !== line).length;
    if (records > 0 && records >= lines.length * RECORDS_SHARE) return l.pattern;
  }
  return undefined;
}
