import { severityRank, type Severity } from '../model/record.js';
import type { TimelineEvent } from './event.js';

export interface EventFilter {
  since?: number;
  until?: number;
  nodes?: readonly string[];
  categories?: readonly string[];
  minSeverity?: Severity;
  topics?: readonly string[];
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
  return (e) => {
    if (f.since !== undefined && e.time < f.since) return false;
    if (f.until !== undefined && e.time > f.until) return false;
    if (nodes && !nodes.has(e.node)) return false;
    if (categories && !categories.has(e.category)) return false;
    if (minRank > 0 && severityRank(e.severity) < minRank) return false;
    if (topics && !topics.some((t) => Object.values(e.fields).some((v) => namesTopic(v, t)))) return false;
    return true;
  };
}
