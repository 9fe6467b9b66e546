import { severityRank, type Severity } from '../model/record.js';
import type { TimelineEvent } from './event.js';
import type { WindowJson } from '../model/window.js';
import { CATALOGUE } from '../catalogue/index.js';

export interface EventFilter {
  since?: number;
  until?: number;
  nodes?: readonly string[];
  categories?: readonly string[];
  minSeverity?: Severity;
  topics?: readonly string[];
  /** Catalogue rule ids (--rule). */
  rules?: readonly string[];
}

/** Whether a field value names a partition of the topic (`account_event-0`) or the topic itself. */
function namesTopic(value: unknown, topic: string): boolean {
  if (Array.isArray(value)) return value.some((v) => namesTopic(v, topic));
  if (typeof value !== 'string') return false;
  return value === topic || (value.startsWith(`${topic}-`) && /^\d+$/.test(value.slice(topic.length + 1)));
}

export function eventFilter(f: EventFilter): (e: TimelineEvent) => boolean {
  const minRank = f.minSeverity ? severityRank(f.minSeverity) : 0;
  const nodes = f.nodes && f.nodes.length > 0 ? new Set(f.nodes) : undefined;
  const categories = f.categories && f.categories.length > 0 ? new Set(f.categories) : undefined;
  const topics = f.topics && f.topics.length > 0 ? f.topics : undefined;
  const rules = f.rules && f.rules.length > 0 ? new Set(f.rules) : undefined;
  return (e) => {
    if (f.since !== undefined && e.time < f.since) return false;
    if (f.until !== undefined && e.time > f.until) return false;
    if (nodes && !nodes.has(e.node)) return false;
    if (categories && !categories.has(e.category)) return false;
    if (minRank > 0 && severityRank(e.severity) < minRank) return false;
    if (rules && (e.rule === null || !rules.has(e.rule.id))) return false;
    if (topics && !topics.some((t) => Object.values(e.fields).some((v) => namesTopic(v, t)))) return false;
    return true;
  };
}

/**
 * The same filters for outage windows, so the windows summary shows what the
 * rows below it show: a window overlapping [since, until], about one of the
 * nodes (windows of no node are dropped then) or topics, and cited by at
 * least one line of the categories, severity and rules asked for.
 */
export function windowFilter(f: EventFilter): (w: WindowJson) => boolean {
  const rules = new Map(CATALOGUE.map((r) => [r.id, r]));
  const minRank = f.minSeverity ? severityRank(f.minSeverity) : 0;
  const categories = f.categories && f.categories.length > 0 ? new Set(f.categories) : undefined;
  const ruleIds = f.rules && f.rules.length > 0 ? new Set(f.rules) : undefined;
  const byRule = minRank > 0 || categories !== undefined || ruleIds !== undefined;
  return (w) => {
    if (f.until !== undefined && Date.parse(w.start) > f.until) return false;
    if (f.since !== undefined && w.end !== null && Date.parse(w.end) < f.since) return false;
    if (f.nodes && f.nodes.length > 0 && (w.node === undefined || !f.nodes.includes(w.node))) return false;
    if (f.topics && f.topics.length > 0 && (w.topic === undefined || !f.topics.includes(w.topic))) return false;
    if (byRule) {
      return w.evidence.some((ev) => {
        const rule = ev.rule === null ? undefined : rules.get(ev.rule);
        if (!rule) return false;
        return (!categories || categories.has(rule.category)) && (!ruleIds || ruleIds.has(rule.id)) && severityRank(rule.severity) >= minRank;
      });
    }
    return true;
  };
}

/** Whether a filter keeps everything. */
export function filtersNothing(f: EventFilter): boolean {
  return Object.values(f).every((v) => v === undefined || (Array.isArray(v) && v.length === 0));
}
