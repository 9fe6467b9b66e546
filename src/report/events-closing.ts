import { closingRecords, EVENTS_KIND, eventFileStartupConfigs, startupRecord, type StartupConfigRecord } from '../readers/events-ndjson.js';
import { readStartupConfigs } from '../readers/startup-config.js';
import type { Timeline } from '../timeline/build.js';
import { isReadFailure } from '../sources/plan.js';
import type { Zone } from '../time/zone.js';
import type { TimelineEvent } from '../timeline/event.js';

/**
 * The closing records of `timeline --format events` (readers/events-ndjson.ts
 * says what each holds): the brokers' start-up configuration dumps (with
 * --all, for a report written from the event file), the accounting of every
 * log read and of every file that could not be read (files of other kinds and
 * files that are no log are not: they travel as they are), and the end record. Called once the events are written.
 */
export async function closingFor(
  timeline: Timeline, run: { zone: Zone; all: boolean; filtered: boolean; skew: ReadonlyMap<string, number>; events: number },
): Promise<string> {
  const startup: StartupConfigRecord[] = [];
  if (run.all) {
    for (const family of timeline.plan.families) {
      for (const f of family.files) {
        if (f.kind === 'kafka-server') {
          for (const c of await readStartupConfigs(f)) startup.push(startupRecord(c, c.brokerId !== null ? `broker-${c.brokerId}` : family.nodes['kafka-broker']));
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
