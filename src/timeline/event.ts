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

/**
 * An event's position in the pass, written on it by the sink that needs the
 * events it keeps put back in the order of the pass (the report's key
 * events) — on the event, not in a WeakMap: a WeakMap's keys survive every
 * minor collection, which moved every event of the pass to the old
 * generation. Sinks after that one see it on the events they keep.
 */
export const PASS_POSITION = Symbol('position in the pass');
export type Positioned = TimelineEvent & { [PASS_POSITION]?: number };

const NO_FIELDS: TimelineEvent['fields'] = Object.freeze({});
const NO_LINES: string[] = Object.freeze([]) as unknown as string[];

/**
 * The same text in a string of its own: a message is a slice of the line it
 * was read from, and V8 keeps a slice's whole parent for as long as the slice.
 */
export function ownCopy(text: string): string {
  // Joined to a character, the text is copied into a flat string of its own
  // when sliced again (a slice of it is then kept, not of the line). Exact for
  // any text, lone surrogates too, and ~10× faster than a JSON round trip,
  // for the few bytes of the slice's header.
  return (' ' + text).slice(1);
}

/**
 * What is kept of an event once it has gone by: what a key-event row shows
 * (time, node, rule, message …; no fields, no continuation lines, no level
 * or logger) and its position in the pass. Rows are built from these alone;
 * tens of thousands are held to the end of a pass (key events, the lines
 * windows cite).
 */
export function rowOnly(e: Positioned): Positioned {
  return {
    time: e.time, node: e.node, nodeKind: e.nodeKind, file: e.file, line: e.line, rule: e.rule, category: e.category, severity: e.severity,
    message: ownCopy(e.message), fields: NO_FIELDS, continuation: NO_LINES, [PASS_POSITION]: e[PASS_POSITION],
  };
}
