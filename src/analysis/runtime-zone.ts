import { runtimeFramed } from '../sources/archive.js';
import { runtimeStamped } from '../sources/containers.js';
import { printable } from '../sources/printable.js';
import { parseNaiveTimestamp } from '../time/timestamp.js';
import { EDGE_TOLERANCE_MS, formatOffset, ZONE_STEP_MS, zoneForOffset } from '../time/zone-check.js';
import type { Zone } from '../time/zone.js';
import type { RuntimeZoneCheckJson } from '../model/window.js';

/**
 * The zone a container's log was read in, checked against its runtime's own
 * times. A CRI or Docker json-file line carries the runtime's RFC 3339 time
 * (with a zone) of a log line whose log4j timestamp has none: read in the
 * right zone the two agree to the millisecond; read in the wrong one they
 * differ by a whole zone offset on every line.
 */
export interface RuntimeZoneCheck {
  file: string;
  /** Lines that carry both times. */
  pairs: number;
  /** log-read time − runtime time, ms, a multiple of 15 min, on most lines (0: the zone agrees). */
  shiftMs: number;
  /** Lines that agree with that shift. */
  agreeing: number;
  writtenOffset: string | null;
  suggestedTimeZone: string | null;
  message: string | null;
}

/** Share of the lines that must show one shift for it to be the file's. */
const AGREEMENT = 0.9;

/** Checks every input read through a runtime framing; the others are left out. */
export async function checkRuntimeZones(files: readonly string[], zone: Zone): Promise<RuntimeZoneCheck[]> {
  const out: RuntimeZoneCheck[] = [];
  for (const file of files) {
    const framed = runtimeFramed(file);
    if (!framed) continue;
    const steps = new Map<number, { count: number; example?: { line: number; runtimeMs: number; text: string } }>();
    let pairs = 0;
    try {
      for await (const s of runtimeStamped(framed.open(), framed.framing)) {
        if (Number.isNaN(s.runtimeMs)) continue;
        // Kafka's `[%d]` or a layout starting with the date (ZooKeeper's, Strimzi's).
        const naive = s.text.startsWith('[') ? parseNaiveTimestamp(s.text, 1) : parseNaiveTimestamp(s.text, 0);
        if (Number.isNaN(naive)) continue;
        pairs++;
        const diff = zone.toEpoch(naive) - s.runtimeMs;
        const step = Math.round(diff / ZONE_STEP_MS);
        // Neither the same instant nor a whole zone apart (a clock that drifted): no vote.
        if (Math.abs(diff - step * ZONE_STEP_MS) > EDGE_TOLERANCE_MS) continue;
        const at = steps.get(step) ?? { count: 0 };
        at.count++;
        at.example ??= s;
        steps.set(step, at);
      }
    } catch {
      // Unreadable here: the reader reports the damage where it belongs.
    }
    if (pairs === 0) continue;
    const [step, best] = [...steps].sort((a, b) => b[1].count - a[1].count)[0] ?? [0, { count: 0 }];
    const shiftMs = step * ZONE_STEP_MS;
    if (shiftMs === 0 || best.count < pairs * AGREEMENT) {
      out.push({ file, pairs, shiftMs: 0, agreeing: steps.get(0)?.count ?? 0, writtenOffset: null, suggestedTimeZone: null, message: null });
      continue;
    }
    const e = best.example!;
    const readOffset = zone.offsetAt(e.runtimeMs);
    const written = readOffset + shiftMs / 60_000;
    const tz = zoneForOffset(written);
    out.push({
      file, pairs, shiftMs, agreeing: best.count, writtenOffset: formatOffset(written), suggestedTimeZone: tz,
      message: `TIME ZONE MISMATCH: ${printable(file)}: its log timestamps read as ${zone.name} (${formatOffset(readOffset)}) are ${formatOffset(shiftMs / 60_000)} off the container runtime's own times on ${best.count} of ${pairs} lines `
        + `(line ${e.line}: runtime ${new Date(e.runtimeMs).toISOString()}, log "${e.text.slice(0, 25)}"). The log was most likely written at ${formatOffset(written)}; read it with --tz ${tz} (or that zone's name).`,
    });
  }
  return out;
}

/**
 * The checks as the documents carry them (timeline --json's head, windows,
 * gap, report), in the shape of the dumps' zone check: shiftMs null when the
 * zone agrees, the mismatch message with the --tz to use when it does not.
 */
export async function runtimeZoneChecks(
  inputs: readonly { file: string; node: string | null }[], zone: Zone,
): Promise<RuntimeZoneCheckJson[]> {
  const nodes = new Map(inputs.map((i) => [i.file, i.node]));
  return (await checkRuntimeZones(inputs.map((i) => i.file), zone)).map((c) => ({
    checked: true,
    shiftMs: c.message === null ? null : c.shiftMs,
    writtenOffset: c.writtenOffset,
    suggestedTimeZone: c.suggestedTimeZone,
    node: nodes.get(c.file) ?? null,
    message: c.message
      ?? `${printable(c.file)}: its log timestamps read as ${zone.name} agree with the container runtime's own times (${c.agreeing} of ${c.pairs} lines to the millisecond)`,
    file: c.file,
    pairs: c.pairs,
    agreeing: c.agreeing,
  }));
}
