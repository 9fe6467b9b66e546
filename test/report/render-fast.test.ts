import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstPage } from '../../src/report/first-page.js';
import { mdText } from '../../src/report/markdown.js';
import { mermaidGantt } from '../../src/report/mermaid.js';
import { buildReport } from '../../src/report/report-data.js';
import { kindStyle, subjectOf } from '../../src/report/report-text.js';
import { Zone } from '../../src/time/zone.js';
import { REPO } from '../commands/run-cli.js';

/** mdText as it was written first: one replace calling back per match (the reference the character loop must equal). */
function mdTextByRegex(s: string): string {
  const replaced: Record<string, string> = { '\n': ' ', '\r\n': ' ', '<': '&lt;', '>': '&gt;' };
  return s.replace(/\r?\n|[\\`*_[\]<>|#~]/g, (c) => replaced[c] ?? `\\${c}`);
}

describe('mdText', () => {
  it('escapes as the one replace did, line breaks, lone CRs, specials at either end and non-ASCII text included', () => {
    const texts = [
      '', 'plain text', '[ReplicaFetcher replicaId=2] Error', 'a\r\nb', 'a\rb', '\r', '\r\n', '\n', 'x\r', '\r\r\n\n',
      '<b>|#~`*_[]\\</b>', '#start', 'end|', 'é[ü]\u2028\r\n中文<>', '\uD800 lone surrogate *', 'a\\nb', '>>><<<',
    ];
    for (const t of texts) expect(mdText(t), JSON.stringify(t)).toBe(mdTextByRegex(t));
    // Every ASCII character on its own and between others.
    for (let c = 0; c < 160; c++) {
      const ch = String.fromCharCode(c);
      for (const t of [ch, `a${ch}b`, `${ch}${ch}\n${ch}`]) expect(mdText(t), JSON.stringify(t)).toBe(mdTextByRegex(t));
    }
  });

  it('returns a text with nothing to escape as it is', () => {
    const s = 'Broker 2 stopped: no special characters here.';
    expect(mdText(s)).toBe(s);
  });
});

describe('the key-event rows\' latest end', () => {
  it('is the latest last time of the rows as read back, and the chart is the same with or without it', async () => {
    const { report } = await buildReport([join(REPO, 'fixtures', 'ha-test-2024-02-23')], { zone: new Zone('Asia/Seoul'), generatedAt: 'x' });
    const rows = report.timeline.rows;
    expect(rows.length).toBeGreaterThan(1);
    let latest = -Infinity;
    let latestIso: string | null = null;
    for (const e of rows) {
      if (Date.parse(e.lastTime) > latest) {
        latest = Date.parse(e.lastTime);
        latestIso = e.lastTime;
      }
    }
    expect(rows.latestEnd).toBe(latestIso);
    // The same chart when the rows are read back instead (a report whose rows are a plain list).
    const readBack = { ...report, timeline: { ...report.timeline, rows: [...rows] } };
    expect(mermaidGantt(report)).not.toBeNull();
    expect(mermaidGantt(report)).toBe(mermaidGantt(readBack));
  });
});

describe('the first page\'s root-cause candidates', () => {
  it('are the first window of each of the first two nodes, as a search of the windows before each found them', async () => {
    for (const fixture of ['ha-test-2024-02-23', 'isolated-leader-2023-11-14', 'unclean-election-2024-03-18']) {
      const { report } = await buildReport([join(REPO, 'fixtures', fixture)], { zone: new Zone('UTC'), generatedAt: 'x' });
      // The reference: node windows sorted by start, each kept where no window before it has its node.
      const nodeWindows = report.windows.filter((w) => w.topic === undefined).sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
      const expected = nodeWindows.filter((w, k) => nodeWindows.findIndex((x) => x.node === w.node) === k).slice(0, 2);
      const causes = firstPage(report).causes;
      expect(causes.length, fixture).toBeGreaterThanOrEqual(expected.length);
      expected.forEach((w, k) => {
        expect(causes[k]!.text, fixture).toContain(`${kindStyle(w.kind).label}: ${subjectOf(w) || 'the cluster'} from `);
      });
    }
  });
});
