import type { Classifier } from '../catalogue/classify.js';
import type { WindowJson, WindowsDocJson } from '../model/window.js';
import type { InputJson } from '../model/timeline.js';
import { parseDescribe } from '../readers/topics-describe.js';
import { parseProperties, zookeeperServers } from '../readers/properties.js';
import { fileLineSource } from '../sources/lines.js';
import type { PlannedFile } from '../sources/plan.js';
import type { Zone } from '../time/zone.js';
import { buildTimeline } from './build.js';
import { WindowEngine, type Evidence, type Window, type WindowContext } from './windows.js';

/** Snapshot and config files are small: read whole. */
async function readSmall(path: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const batch of fileLineSource(path, 8 << 20).batches()) lines.push(...batch);
  return lines;
}

/** Replica assignments from describe snapshots and ZooKeeper addresses from configs. */
export async function windowContext(others: readonly PlannedFile[]): Promise<WindowContext> {
  const context: WindowContext = { replicas: new Map(), zkAddresses: new Map() };
  for (const file of others) {
    if (file.kind === 'topics-describe') {
      const snapshot = parseDescribe(await readSmall(file.path));
      for (const p of snapshot.partitions) {
        const evidence: Evidence = { file: file.path, line: p.line, time: null, ruleId: null, text: p.text.trim() };
        context.replicas.set(`${p.topic}-${p.partition}`, { replicas: p.replicas, evidence });
      }
    } else if (file.kind === 'properties') {
      for (const [host, id] of zookeeperServers(parseProperties(await readSmall(file.path)))) {
        if (host !== '0.0.0.0' && host !== 'localhost' && host !== '127.0.0.1') context.zkAddresses.set(host, id);
      }
    }
  }
  return context;
}

export function toWindowJson(w: Window, zone: Zone): WindowJson {
  const iso = (t: number) => zone.format(t);
  return {
    kind: w.kind,
    ...(w.node !== undefined && { node: w.node }),
    ...(w.topic !== undefined && { topic: w.topic, partition: w.partition! }),
    start: iso(w.start),
    end: w.end === null ? null : iso(w.end),
    startBounds: w.startBounds && { earliest: iso(w.startBounds[0]), latest: iso(w.startBounds[1]) },
    endBounds: w.endBounds && { earliest: iso(w.endBounds[0]), latest: iso(w.endBounds[1]) },
    durationMs: w.end === null ? null : w.end - w.start,
    confidence: w.confidence,
    reason: w.reason,
    ...(Object.keys(w.details).length > 0 && { details: w.details }),
    evidence: w.evidence.map((ev) => ({ file: ev.file, line: ev.line, time: ev.time === null ? null : iso(ev.time), ruleId: ev.ruleId, text: ev.text })),
  };
}

export interface WindowsResult {
  doc: WindowsDocJson;
  inputs: InputJson[];
  missing: string[];
}

/** sources → readers → catalogue → merged records → window engine. */
export async function buildWindows(
  paths: readonly string[],
  options: { zone: Zone; nodeMap?: readonly string[]; classifier?: Classifier },
): Promise<WindowsResult> {
  const timeline = await buildTimeline(paths, { ...options, all: true });
  const engine = new WindowEngine(await windowContext(timeline.plan.others));
  for await (const e of timeline.events) engine.push(e);
  const windows = engine.finish();
  const zone = options.zone;
  return {
    doc: {
      schema: 'kforensics/windows/v1',
      timeZone: zone.name,
      windows: windows.map((w) => toWindowJson(w, zone)),
      falseAlarms: engine.falseAlarms.map((f) => ({
        file: f.file, line: f.line, time: f.time === null ? null : zone.format(f.time), ruleId: f.ruleId, text: f.text, why: f.why,
      })),
    },
    inputs: timeline.inputs(),
    missing: timeline.plan.missing,
  };
}
