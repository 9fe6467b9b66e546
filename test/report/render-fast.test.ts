import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render } from '../../src/commands/report.js';
import { esc } from '../../src/report/html-escape.js';
import { firstPage, keepLongest, LIST, type Lasting } from '../../src/report/first-page.js';
import { mdText } from '../../src/report/markdown.js';
import { mermaidGantt } from '../../src/report/mermaid.js';
import { fullWindows } from '../../src/report/report-windows.js';
import { buildReport } from '../../src/report/report-data.js';
import { appendixLinks, byNodeName, kindStyle, subjectOf, windowRows } from '../../src/report/report-text.js';
import type { WindowJson } from '../../src/model/window.js';
import { Zone } from '../../src/time/zone.js';
import { REPO } from '../commands/run-cli.js';
import { seeded } from '../../scripts/bench/random.mjs';

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

describe('the first page\'s acknowledged writes lost', () => {
  it('names six two-leaders windows at most, in order, and counts the rest', async () => {
    const { report } = await buildReport([join(REPO, 'fixtures', 'isolated-leader-2023-11-14')], { zone: new Zone('UTC'), generatedAt: 'x' });
    const windows = [...fullWindows(report.windows)];
    const two = windows.find((w) => w.kind === 'two-leaders')!;
    expect(two).toBeDefined();
    const line = (n: number) => {
      // n two-leaders windows of partitions p-0 … p-(n-1), no counted loss (the fixture has no dumps of it).
      const many = Array.from({ length: n }, (_, k) => ({ ...two, topic: 'p', partition: k }));
      const doc = { ...report, lostWrites: [], windows: [...windows.filter((w) => w.kind !== 'two-leaders'), ...many] };
      return firstPage(doc).impact.find((i) => i.text.startsWith('acknowledged writes lost'))!;
    };
    for (const n of [1, 6, 7, 2000]) {
      const { text, evidence } = line(n);
      const named = Math.min(n, 6);
      expect(text.match(/truncated when/g), `${n}`).toHaveLength(named);
      for (let k = 0; k < named; k++) expect(text).toContain(`p-${k} truncated`);
      expect(text.includes(`p-${named} truncated`)).toBe(false);
      if (n > 6) expect(text.endsWith(` (${n - 6} more: see Windows)`)).toBe(true);
      else expect(text).not.toContain('more: see Windows');
      expect(evidence).toHaveLength(named);
    }
  });
});

describe('the first page\'s longest partition windows of a kind', () => {
  it('are what a stable sort of them all would put first: by duration (none: longest), then subject, then order read', () => {
    const draw = seeded(7);
    const random = (n: number) => Math.floor(draw() * n);
    const byDuration = (a: Lasting, b: Lasting) => b.duration - a.duration || byNodeName(a.subject, b.subject);
    for (let round = 0; round < 500; round++) {
      const items: Lasting[] = Array.from({ length: 1 + random(12) }, (_, k) => ({
        w: { id: k } as unknown as WindowJson,
        duration: random(4) === 0 ? Infinity : 1000 * (1 + random(3)),
        subject: `t-${random(3)}`,
      }));
      const longest: Lasting[] = [];
      for (const x of items) keepLongest(longest, x);
      expect(longest, JSON.stringify(items)).toEqual([...items].sort(byDuration).slice(0, LIST));
      // The very objects, not equal ones: of equals, the first read.
      longest.forEach((x, k) => expect(x).toBe([...items].sort(byDuration)[k]));
    }
  });
});

describe('windowRows', () => {
  /** The rows as a list, as they were made before (the reference). */
  function rowsAsList(windows: readonly WindowJson[]): { first: number; members: number[] }[] {
    const out: { first: number; members: number[] }[] = [];
    const brief = (w: WindowJson) => w.topic !== undefined && w.durationMs !== null && w.durationMs < 1000;
    windows.forEach((w, i) => {
      const last = out[out.length - 1];
      const head = last ? windows[last.first]! : undefined;
      if (last && head && brief(w) && brief(head) && head.kind === w.kind && Date.parse(w.start) - Date.parse(head.start) < 1000) last.members.push(i);
      else out.push({ first: i, members: [i] });
    });
    return out;
  }

  it('groups sub-second partition windows of a kind starting within a second as the list did, row by row', () => {
    const draw = seeded(11);
    const random = (n: number) => Math.floor(draw() * n);
    for (let round = 0; round < 300; round++) {
      let t = Date.parse('2024-01-01T00:00:00.000Z');
      const windows = Array.from({ length: random(40) }, () => {
        t += random(3) * 400;
        return {
          kind: random(3) === 0 ? 'leader-moved' : 'offline-partition',
          start: new Date(t).toISOString(),
          durationMs: random(5) === 0 ? null : random(1500),
          ...(random(6) !== 0 && { topic: 'a' }),
        } as unknown as WindowJson;
      });
      expect([...windowRows(windows)]).toEqual(rowsAsList(windows));
    }
  });
});

describe('a line of many parts (the false alarms)', () => {
  it('is written as the one joined line it was, in Markdown and HTML', async () => {
    const { report } = await buildReport([join(REPO, 'fixtures', 'ha-test-2024-02-23')], { zone: new Zone('UTC'), generatedAt: 'x' });
    const alarms = Array.from({ length: 2500 }, (_, k) => ({
      file: k % 3 === 0 ? 'broker-1/server.log' : 'b|<2>/server.log', line: k + 1, time: null, rule: null, text: 'x', why: `why *${k}* <b>|; ${'é'.repeat(k % 4)}`,
    }));
    const doc = { ...report, inputQuality: { ...report.inputQuality, falseAlarms: alarms } };
    const md = [...render('md', doc)].join('');
    const mdLinks = appendixLinks(doc, mdText);
    const mdLink = (file: string, line: number) => {
      const id = mdLinks.id(file, line);
      return id ? `[${mdLinks.label(file, line)}](#${id})` : mdLinks.label(file, line);
    };
    expect(md.split('\n')).toContain(`- **False alarms (not used):** ${alarms.map((f) => `${mdLink(f.file, f.line)} — ${mdText(f.why)}`).join('; ')}`);
    const html = [...render('html', doc)].join('');
    const htmlLinks = appendixLinks(doc, esc);
    const htmlLink = (file: string, line: number) => {
      const id = htmlLinks.id(file, line);
      return id ? `<a href="#${id}">${htmlLinks.label(file, line)}</a>` : htmlLinks.label(file, line);
    };
    expect(html.split('\n')).toContain(`<li><strong>False alarms (not used):</strong> ${alarms.map((f) => `${htmlLink(f.file, f.line)} — ${esc(f.why)}`).join('; ')}</li>`);
    // Pieces before and after it are whole lines: the line is one of the document's, between newlines.
    expect(md.includes('\n- **False alarms (not used):** ')).toBe(true);
    expect(html.includes('\n<li><strong>False alarms (not used):</strong> ')).toBe(true);
  });
});
