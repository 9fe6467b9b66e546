import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WindowJson } from '../../src/model/window.js';
import { fullWindows, reportWindows } from '../../src/report/report-windows.js';
import { Zone } from '../../src/time/zone.js';
import { buildWindows } from '../../src/windows/build.js';
import { rezoneWindows } from '../../src/windows/display-zone.js';
import { REPO } from '../commands/run-cli.js';

// The report's windows are spooled whole and held as briefs (src/report/report-windows.ts): what the briefs
// say must be what the whole windows say, and the whole windows what the windows document says.
describe('the report\'s windows', () => {
  it.each([
    ['account-event-2022-10-05', 'UTC', 'Asia/Seoul'],
    ['ha-test-2024-02-23', 'UTC', 'UTC'],
    ['unclean-election-2024-03-18', 'UTC', 'America/New_York'],
  ])('%s (--tz %s, shown in %s): briefs agree with the whole windows, and those with the windows document', async (fixture, tz, shownIn) => {
    const zone = new Zone(tz);
    const shown = shownIn === tz ? zone : new Zone(shownIn);
    const result = await buildWindows([join(REPO, 'fixtures', fixture)], { zone });
    const doc = shown === zone ? result.doc : rezoneWindows(result.doc, shown);
    expect(doc.windows.length).toBeGreaterThan(0);
    const handed: WindowJson[] = [];
    const windows = reportWindows(result.list, zone, shown, (json) => handed.push(json));
    const full = fullWindows(windows);
    // JSON as it would be written: the same text, key for key.
    expect(JSON.stringify([...full])).toBe(JSON.stringify(doc.windows));
    expect(JSON.stringify(handed)).toBe(JSON.stringify(doc.windows));
    // A report stringified whole (held whole, as before) has its windows whole, not their briefs.
    expect(JSON.stringify(windows)).toBe(JSON.stringify(doc.windows));
    expect(windows.length).toBe(doc.windows.length);
    expect(full.length).toBe(doc.windows.length);
    doc.windows.forEach((w, i) => {
      const b = windows[i]!;
      expect(full.at(i)).toEqual(w);
      expect({
        kind: b.kind, node: b.node, topic: b.topic, partition: b.partition, start: b.start, end: b.end, startBounds: b.startBounds,
        endBounds: b.endBounds, durationMs: b.durationMs, confidence: b.confidence, reason: b.reason, details: b.details,
      }).toEqual({
        kind: w.kind, node: w.node, topic: w.topic, partition: w.partition, start: w.start, end: w.end, startBounds: w.startBounds,
        endBounds: w.endBounds, durationMs: w.durationMs, confidence: w.confidence, reason: w.reason, details: w.details,
      });
      expect(b.evidence).toEqual(w.evidence.slice(0, 1).map((e) => ({ file: e.file, line: e.line })));
      expect(b.startSource).toEqual(w.startSource && { how: w.startSource.how, evidence: w.startSource.evidence && { file: w.startSource.evidence.file, line: w.startSource.evidence.line } });
      // What a brief does not keep is not made up: asked for, it fails.
      expect(() => b.endSource).toThrow(/internal/);
    });
  });

  it('a report held whole (a ReportJson) is its own whole windows', () => {
    const w = { kind: 'broker-down' } as WindowJson;
    const full = fullWindows([w]);
    expect(full.length).toBe(1);
    expect(full.at(0)).toBe(w);
    expect([...full]).toEqual([w]);
  });
});
