import { closingRecords, EVENTS_KIND, eventFileStartupConfigs, startupRecord, type StartupConfigRecord } from '../readers/events-ndjson.js';
import type { StartupConfigScan } from '../readers/startup-config.js';
import type { Timeline } from '../read/build.js';
import { isReadFailure } from '../read/plan.js';
import type { Zone } from '../time/zone.js';
import { toEventJson, type TimelineEvent } from '../timeline/event.js';

/**
 * The closing records of `timeline --format events` (readers/events-ndjson.ts
 * says what each holds): the brokers' start-up configuration dumps (with
 * --all, for a report written from the event file), the accounting of every
 * log read and of every file that could not be read (files of other kinds and
 * files that are no log are not: they travel as they are), and the end record. Called once the events are written.
 */
export async function closingFor(
  timeline: Timeline,
  run: {
    zone: Zone; all: boolean; filtered: boolean; skew: ReadonlyMap<string, number>; events: number;
    /** The brokers' server logs' start-up config scans, fed by the pass (timeline's watchLines), by path. */
    startups: ReadonlyMap<string, StartupConfigScan>;
  },
): Promise<string> {
  const startup: StartupConfigRecord[] = [];
  if (run.all) {
    for (const family of timeline.plan.families) {
      for (const f of family.files) {
        if (f.kind === 'kafka-server') {
          for (const c of run.startups.get(f.path)?.finish() ?? []) startup.push(startupRecord(c, c.brokerId !== null ? `broker-${c.brokerId}` : family.nodes['kafka-broker']));
        } else if (f.kind === EVENTS_KIND) {
          for (const { node, config } of await eventFileStartupConfigs(f.path)) startup.push(startupRecord(config, node));
        }
      }
    }
  }
  // Files of other kinds, and files that are no log, travel as they are (the central run reads them itself);
  // files the host could not read are carried, so that the central run says so too.
  const others = new Set(timeline.plan.others.map((o) => o.path));
  const inputs = timeline.inputs().filter((i) => !others.has(i.file) && (i.kind !== 'unknown' || isReadFailure(i)));
  return closingRecords(inputs, startup, {
    timeZone: run.zone.name, all: run.all, filtered: run.filtered, skew: Object.fromEntries(run.skew), events: run.events,
  });
}

/** The line standing for an appender twin the merge dropped (readers/events-ndjson.ts). */
export function twinRecord(e: TimelineEvent, zone: Zone): string {
  return `${JSON.stringify({ kforensics: 'twin', time: zone.format(e.time), node: e.node, rule: e.rule?.id ?? null, fields: e.fields })}\n`;
}

/**
 * The event lines of an event file: a classified event as EventSchema's
 * line with the record's level and logger; a record no rule classifies
 * (--all: a sign of life) as a short `{"u":SOURCE,"t":MS,"n":LINE,"v":LEVEL,"m":MESSAGE,"c":[…]}`,
 * its file, node and logger given once by a `{"kforensics":"source", …}` line
 * before its first use (readers/events-ndjson.ts reads both back).
 */
export function eventFileLines(zone: Zone): (e: TimelineEvent) => string {
  const sources = new Map<string, number>();
  return (e) => {
    if (e.rule) {
      return `${JSON.stringify({ ...toEventJson(e, zone), ...(e.level !== undefined && { level: e.level }), ...(e.logger !== undefined && { logger: e.logger }) })}\n`;
    }
    const key = `${e.file}\0${e.node}\0${e.nodeKind}\0${e.logger ?? ''}`;
    let id = sources.get(key);
    let head = '';
    if (id === undefined) {
      sources.set(key, id = sources.size);
      head = `${JSON.stringify({ kforensics: 'source', id, file: e.file, node: e.node, nodeKind: e.nodeKind, ...(e.logger !== undefined && { logger: e.logger }) })}\n`;
    }
    const line = { u: id, t: e.time, n: e.line, ...(e.level !== undefined && { v: e.level }), m: e.message, ...(e.continuation.length > 0 && { c: e.continuation }) };
    return `${head}${JSON.stringify(line)}\n`;
  };
}
