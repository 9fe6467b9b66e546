import type { LogRecord, NodeKind } from '../model/record.js';
import type { Rule } from './schema.js';
import { convertField, type FieldValue } from './fields.js';

export interface Classification {
  rule: Rule;
  fields: Record<string, FieldValue>;
}

/** The named groups of each rule's pattern, in the pattern's order (classify). */
const GROUP_NAMES = new WeakMap<Rule, readonly string[]>();

const EXCEPTION_LINE = /^(?:Caused by: )?([\w$]+(?:\.[\w$]+)+(?:Exception|Error|Throwable))(?::\s?(.*))?$/;

/** Names a logger can be gated by: as printed, simple, and outer class. */
function gateKeys(logger: string): string[] {
  const keys = [logger];
  const simple = logger.slice(logger.lastIndexOf('.') + 1);
  if (simple !== logger) keys.push(simple);
  const dollar = simple.indexOf('$');
  if (dollar > 0) keys.push(simple.slice(0, dollar));
  return keys;
}

/**
 * Applies a rule table to records. Rules are indexed by logger so a record
 * meets only the one or two rules its logger can print; the regexes run only
 * for those.
 */
export class Classifier {
  private readonly byLogger = new Map<string, Rule[]>();
  private readonly anyLogger: Rule[] = [];
  private readonly order = new Map<Rule, number>();
  private readonly memo = new Map<string, readonly Rule[]>();

  constructor(readonly rules: readonly Rule[]) {
    rules.forEach((rule, i) => {
      this.order.set(rule, i);
      for (const logger of rule.loggers) {
        if (logger === '*') {
          this.anyLogger.push(rule);
          continue;
        }
        const list = this.byLogger.get(logger) ?? [];
        list.push(rule);
        this.byLogger.set(logger, list);
      }
    });
  }

  /** The rules that can apply to a logger, in catalogue order. */
  candidates(logger: string): readonly Rule[] {
    let found = this.memo.get(logger);
    if (found === undefined) {
      const set = new Set<Rule>(this.anyLogger);
      for (const key of gateKeys(logger)) for (const r of this.byLogger.get(key) ?? []) set.add(r);
      found = [...set].sort((a, b) => this.order.get(a)! - this.order.get(b)!);
      this.memo.set(logger, found);
    }
    return found;
  }

  /**
   * How much of a record of this logger and role a classification needs:
   * 'none' when no rule can classify it (it is no event unless unclassified
   * records are kept), 'message' when its rules look at the message alone
   * (then {@link matchesMessage} decides before the record is assembled),
   * 'record' when a rule also reads the folded lines. The byte-level reader
   * makes no text for 'none', and only the message for 'message'.
   * `bare`: with 'record', a record that folded no line is classified on
   * its message alone ({@link matchesMessage} decides it too): only the
   * rules' cause (withCause) made the folded lines needed.
   */
  needs(logger: string, role: NodeKind): { needs: 'none' | 'message' | 'record'; rules: readonly Rule[]; bare: boolean } {
    const rules = this.candidates(logger).filter((rule) => rule.appliesTo.includes(role));
    if (rules.length === 0) return { needs: 'none', rules, bare: true };
    // A stateful (global or sticky) pattern would answer differently on a second run.
    const stateless = rules.every((rule) => !rule.pattern.global && !rule.pattern.sticky);
    const messageOnly = stateless && rules.every((rule) => !rule.withCause);
    return { needs: messageOnly ? 'message' : 'record', rules, bare: stateless };
  }

  /** Whether one of `rules` (from needs(), 'message') matches this message: classify() would find a rule. */
  static matchesMessage(rules: readonly Rule[], message: string): boolean {
    for (const rule of rules) {
      if (rule.keyword !== undefined && !hasKeyword(message, rule.keyword)) continue;
      if (rule.pattern.test(message)) return true;
    }
    return false;
  }

  classify(record: LogRecord): Classification | undefined {
    const candidates = this.candidates(record.logger);
    for (const rule of candidates) {
      if (!rule.appliesTo.includes(record.role)) continue;
      const text = rule.withCause && record.continuation.length > 0
        ? `${record.message}\n${record.continuation[0]}`
        : record.message;
      if (rule.keyword !== undefined && !hasKeyword(text, rule.keyword)) continue;
      const m = rule.pattern.exec(text);
      if (!m) continue;
      const fields: Record<string, FieldValue> = {};
      const groups = m.groups;
      if (groups) {
        // A match's groups object lists every named group of the pattern, in its order: the names are listed once per rule
        // (Object.entries of each match's groups, a dictionary, was a tenth of the event-dense log's CPU).
        let names = GROUP_NAMES.get(rule);
        if (names === undefined) GROUP_NAMES.set(rule, names = Object.keys(groups));
        for (const name of names) {
          const value = groups[name];
          if (value !== undefined) fields[name] = convertField(rule.fields?.[name], value);
        }
      }
      const cause = causeOf(record);
      if (cause !== undefined && fields.cause === undefined) fields.cause = cause;
      return { rule, fields };
    }
    return undefined;
  }
}

/** Whether the text holds the rule's keyword (one of them, for a list). */
export function hasKeyword(text: string, keyword: string | readonly string[]): boolean {
  if (typeof keyword === 'string') return text.includes(keyword);
  for (const k of keyword) if (text.includes(k)) return true;
  return false;
}

/** The exception a record's stack trace starts with, e.g. `java.io.EOFException`. */
export function causeOf(record: LogRecord): string | undefined {
  const first = record.continuation[0];
  if (first === undefined) return undefined;
  const m = EXCEPTION_LINE.exec(first.trim());
  return m ? (m[2] ? `${m[1]}: ${m[2]}` : m[1]) : undefined;
}
