import { describe, expect, it } from 'vitest';
import { buildSegments, CHART, xAt } from '../../src/report/swimlane.js';

const H = 3_600_000;

describe('swimlane axis', () => {
  it('is one linear segment when nothing is quiet for long', () => {
    const s = buildSegments([[0, H], [10 * 60_000, 20 * 60_000]], 100, 1100);
    expect(s).toHaveLength(1);
    expect(xAt(s, s[0]!.t0)).toBe(100);
    expect(xAt(s, s[0]!.t1)).toBe(1100);
    const mid = (s[0]!.t0 + s[0]!.t1) / 2;
    expect(xAt(s, mid)).toBeCloseTo(600, 5);
  });

  it('cuts a quiet stretch out of the axis, leaving a break between the segments', () => {
    const s = buildSegments([[0, 10 * 60_000], [6 * H, 6 * H + 10 * 60_000]], 100, 1100);
    expect(s).toHaveLength(2);
    expect(s[1]!.x0 - s[0]!.x1).toBeCloseTo(CHART.breakWidth, 1);
    // Each side gets half the width: both are ten minutes long.
    expect(s[0]!.x1 - s[0]!.x0).toBeCloseTo(s[1]!.x1 - s[1]!.x0, 1);
    // An instant in the cut-out stretch sits at the edge of the next segment.
    expect(xAt(s, 3 * H)).toBe(s[1]!.x0);
  });

  it('never cuts inside a window, however quiet the logs are during it', () => {
    // A broker down for two hours with nothing logged in between (seed 001).
    const s = buildSegments([[0, 2 * H], [0, 0], [2 * H, 2 * H]], 0, 1000);
    expect(s).toHaveLength(1);
  });
});

describe('swimlane labels', () => {
  it('names the date and zone offset on the axis, never a fraction of a millisecond (`UTC.330078125+09:00`)', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { ReportSchema } = await import('../../src/model/report.js');
    const { renderSwimlane } = await import('../../src/report/swimlane.js');
    const { REPO } = await import('../commands/run-cli.js');
    for (const name of ['account-event-2022-10-05', 'ha-test-2024-02-23']) {
      const r = ReportSchema.parse(JSON.parse(readFileSync(join(REPO, 'test/report/golden', `${name}.report.json`), 'utf8')));
      const { svg } = renderSwimlane(r);
      const date = /<text class="axis-date"[^>]*>([^<]*)<\/text>/.exec(svg)![1];
      expect(date).toMatch(/^\d{4}-\d{2}-\d{2} \(Asia\/Seoul, UTC\+09:00\)$/);
      const labels = [...svg.matchAll(/<text class="axis-label"[^>]*data-t="([^"]+)">([^<]*)<\/text>/g)];
      expect(labels.length).toBeGreaterThan(2);
      for (const [, t, label] of labels) {
        expect(Number.isInteger(Number(t)), t).toBe(true);
        expect(label).toMatch(/^(\d{2}-\d{2} )?\d{2}:\d{2}(:\d{2})?$/);
      }
      const segments = /data-segments="([^"]+)"/.exec(svg)![1]!.split(';').flatMap((s) => s.split(',').slice(0, 2).map(Number));
      for (const t of segments) expect(Number.isInteger(t), String(t)).toBe(true);
    }
  });

  it('a zone formats a computed instant with a fraction as whole milliseconds', async () => {
    const { Zone } = await import('../../src/time/zone.js');
    expect(new Zone('Asia/Seoul').format(1664956976908.330078125)).toBe('2022-10-05T17:02:56.908+09:00');
  });
});
