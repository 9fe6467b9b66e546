import type { Rule } from '../catalogue/schema.js';
import type { FieldValue } from '../catalogue/fields.js';
import type { NodeKind, Severity } from '../model/record.js';
import type { EventJson } from '../model/timeline.js';
import type { Zone } from '../time/zone.js';

/** A classified record placed on the timeline (internal form; see EventSchema for JSON). */
export interface TimelineEvent {
  time: number;
  node: string;
  nodeKind: NodeKind;
  file: string;
  line: number;
  rule: Rule | null;
  category: string;
  severity: Severity;
  message: string;
  fields: Record<string, FieldValue>;
  continuation: string[];
  /** The record's log level and logger as printed (absent where an event file did not carry them). */
  level?: string;
  logger?: string;
}

export function toEventJson(e: TimelineEvent, zone: Zone): EventJson {
  return {
    time: zone.format(e.time),
    node: e.node,
    nodeKind: e.nodeKind,
    file: e.file,
    line: e.line,
    rule: e.rule?.id ?? null,
    category: e.category,
    severity: e.severity,
    message: e.message,
    fields: e.fields,
    continuation: e.continuation,
  };
}
