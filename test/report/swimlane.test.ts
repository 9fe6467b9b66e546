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
