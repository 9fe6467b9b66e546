import type { WindowJson, WindowsDocJson } from '../model/window.js';
import type { Zone } from '../time/zone.js';

/**
 * A windows document with every time shown in another zone (--display-tz):
 * the same instants, another offset. The document says both zones.
 */
export function rezoneWindows(doc: WindowsDocJson, zone: Zone): WindowsDocJson {
  const { evidence, window } = rezoner(zone);
  return {
    ...doc,
    displayTimeZone: zone.name,
    windows: doc.windows.map(window),
    falseAlarms: evidence(doc.falseAlarms),
    disagreements: doc.disagreements.map((d) => ({ ...d, evidence: evidence(d.evidence) })),
  };
}

/** One window with every time shown in another zone. */
export function rezoneWindow(w: WindowJson, zone: Zone): WindowJson {
  return rezoner(zone).window(w);
}

function rezoner(zone: Zone) {
  const at = (iso: string) => zone.format(Date.parse(iso));
  const maybe = (iso: string | null) => (iso === null ? null : at(iso));
  const bounds = (b: { earliest: string; latest: string } | null) => b && { earliest: at(b.earliest), latest: at(b.latest) };
  const line = <T extends { time: string | null }>(e: T): T => ({ ...e, time: maybe(e.time) });
  const evidence = <T extends { time: string | null }>(list: readonly T[]): T[] => list.map(line);
  const source = (s: WindowJson['startSource']) => s && { ...s, evidence: s.evidence && line(s.evidence) };
  const window = (w: WindowJson): WindowJson => ({
    ...w, start: at(w.start), end: maybe(w.end), startBounds: bounds(w.startBounds), endBounds: bounds(w.endBounds), evidence: evidence(w.evidence),
    ...(w.startSource && { startSource: source(w.startSource) }),
    ...(w.endSource && { endSource: source(w.endSource) }),
  });
  return { evidence, window };
}
