import type { LogRecord } from '../model/record.js';
import { Classifier, hasKeyword } from './classify.js';
import type { Rule } from './schema.js';

/**
 * Why a record was or was not classified, in the spirit of lnav's "matched up
 * to here": for an unclassified record, the rule that came closest and the
 * point where it stopped matching.
 */
export interface NearMiss {
  rule: Rule;
  /** The first test the rule failed, in the order classify() applies them. */
  stoppedAt: 'role' | 'logger' | 'keyword' | 'pattern';
  /** The text the pattern was tried on, up to where its longest matching part ends. */
  matched: string;
  rest: string;
  /** The part of the pattern that matched, and the piece it could not match next. */
  patternMatched: string;
  patternNext: string | null;
}

/** Pieces of a pattern source at one nesting level, each with its quantifier, and the level's alternatives. */
export function tokenize(source: string): string[][] {
  const alternatives: string[][] = [[]];
  let i = 0;
  const readEscape = (at: number): number => {
    const c = source[at + 1];
    if (c === undefined) return at + 1;
    if ((c === 'k' && source[at + 2] === '<') || ((c === 'p' || c === 'P' || c === 'u') && source[at + 2] === '{')) {
      const close = source.indexOf(c === 'k' ? '>' : '}', at + 2);
      return close < 0 ? source.length : close + 1;
    }
    if (c === 'x') return at + 4;
    if (c === 'u') return at + 6;
    if (c === 'c') return at + 3;
    return at + 2;
  };
  while (i < source.length) {
    const c = source[i]!;
    if (c === '|') {
      alternatives.push([]);
      i++;
      continue;
    }
    let end: number;
    if (c === '\\') {
      end = readEscape(i);
    } else if (c === '[') {
      end = i + 1;
      while (end < source.length && source[end] !== ']') end = source[end] === '\\' ? readEscape(end) : end + 1;
      end++;
    } else if (c === '(') {
      let depth = 0;
      end = i;
      while (end < source.length) {
        const d = source[end]!;
        if (d === '\\') { end = readEscape(end); continue; }
        if (d === '[') {
          end++;
          while (end < source.length && source[end] !== ']') end = source[end] === '\\' ? readEscape(end) : end + 1;
          end++;
          continue;
        }
        if (d === '(') depth++;
        if (d === ')' && --depth === 0) { end++; break; }
        end++;
      }
    } else {
      end = i + 1;
    }
    const quantifier = /^(?:[*+?]|\{\d+(?:,\d*)?\})\??/.exec(source.slice(end));
    if (quantifier) end += quantifier[0].length;
    alternatives[alternatives.length - 1]!.push(source.slice(i, end));
    i = end;
  }
  return alternatives;
}

interface Probe { src: string; end: number; next: string | null }

/** Where `src` (a pattern prefix) stops matching `text`: -1 when it does not match (or does not compile). */
function probe(src: string, flags: string, text: string): number {
  try {
    const m = new RegExp(src, flags.replace(/[gy]/g, '')).exec(text);
    return m ? m.index + m[0].length : -1;
  } catch {
    return -1;
  }
}

/** The longest prefix of `tokens` (after `before`, closed by `after`) that matches, descending into the group that fails. */
function deepest(before: string, after: string, tokens: readonly string[], flags: string, text: string): Probe {
  let best: Probe = { src: before, end: Math.max(0, probe(before + after, flags, text)), next: null };
  for (let i = 0; i < tokens.length; i++) {
    const src = before + tokens.slice(0, i + 1).join('');
    const end = probe(src + after, flags, text);
    if (end >= 0) {
      best = { src, end, next: null };
      continue;
    }
    const token = tokens[i]!;
    best = { ...best, next: token };
    const group = /^(\((?:\?(?::|<[A-Za-z_]\w*>))?)([\s\S]*)\)([+]?)$/.exec(token);
    if (group) {
      for (const alt of tokenize(group[2]!)) {
        const inner = deepest(before + tokens.slice(0, i).join('') + group[1], `)${after}`, alt, flags, text);
        if (inner.end > best.end || (inner.end === best.end && inner.src.length > best.src.length)) best = inner;
      }
    }
    return best;
  }
  return best;
}

/** How far a rule's pattern gets into a text. */
export function partialMatch(pattern: RegExp, text: string): { end: number; patternMatched: string; patternNext: string | null } {
  let best: Probe | undefined;
  for (const alt of tokenize(pattern.source)) {
    const p = deepest('', '', alt, pattern.flags, text);
    if (!best || p.end > best.end) best = p;
  }
  return { end: best!.end, patternMatched: best!.src, patternNext: best!.next };
}

const STAGES = ['role', 'logger', 'keyword', 'pattern'] as const;

/**
 * The rule that came closest to classifying a record no rule classified:
 * furthest through classify()'s tests (role, logger, keyword, pattern), then
 * furthest into the text. Rules for the record's logger are tried first;
 * without any, every rule of its role.
 */
export function nearestRule(classifier: Classifier, record: LogRecord): NearMiss | undefined {
  const byLogger = new Set(classifier.candidates(record.logger));
  let best: (NearMiss & { score: number }) | undefined;
  for (const rule of classifier.rules) {
    const text = rule.withCause && record.continuation.length > 0 ? `${record.message}\n${record.continuation[0]}` : record.message;
    let stoppedAt: NearMiss['stoppedAt'];
    if (!rule.appliesTo.includes(record.role)) stoppedAt = 'role';
    else if (!byLogger.has(rule)) stoppedAt = 'logger';
    else if (rule.keyword !== undefined && !hasKeyword(text, rule.keyword)) stoppedAt = 'keyword';
    else stoppedAt = 'pattern';
    const partial = partialMatch(rule.pattern, text);
    const score = STAGES.indexOf(stoppedAt) * 1e6 + partial.end;
    if (!best || score > best.score) {
      best = {
        rule, stoppedAt, score, matched: text.slice(0, partial.end), rest: text.slice(partial.end),
        patternMatched: partial.patternMatched, patternNext: partial.patternNext,
      };
    }
  }
  if (!best) return undefined;
  const { score: _score, ...miss } = best;
  return miss;
}
