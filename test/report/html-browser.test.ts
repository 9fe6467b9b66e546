import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportSchema, type ReportJson } from '../../src/model/report.js';
import { REPO, runCli } from '../commands/run-cli.js';
import { fixtureCopy } from './fixture-copy.js';

// The HTML report opened in a real headless Chromium (Debian's `chromium`,
// driven by playwright-core; .ci/run installs it). Skipped where it is absent.
const CHROMIUM = '/usr/bin/chromium';
const HAVE = existsSync(CHROMIUM);
if (!HAVE) console.warn(`report HTML browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);

const ARTEFACTS = join(REPO, 'test-output');

type BrowserContext = import('playwright-core').BrowserContext;
let browser: BrowserContext | undefined;

interface Case { name: string; fixture: string; flags: string[] }
const CASES: Case[] = [
  { name: 'account-event', fixture: 'fixtures/account-event-2022-10-05', flags: ['--tz', 'Asia/Seoul', '--topic', 'account_event'] },
  { name: 'ha-test', fixture: 'fixtures/ha-test-2024-02-23', flags: ['--tz', 'Asia/Seoul'] },
];

function build(c: Case, cwd = fixtureCopy(c.fixture)): { html: string; json: ReportJson } {
  const dir = mkdtempSync(join(tmpdir(), 'kf-html-'));
  const html = join(dir, 'report.html');
  const json = join(dir, 'report.json');
  for (const out of [html, json]) {
    const r = runCli(['report', c.fixture, ...c.flags, '--out', out], cwd);
    expect(r.status, r.stderr).toBe(0);
  }
  return { html, json: ReportSchema.parse(JSON.parse(readFileSync(json, 'utf8'))) };
}

/** Pages of a PDF Chromium wrote: its page objects (`/Type /Page`, not `/Pages`). */
function pdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
}

/** x of an instant on the axis, from the segments the <svg> publishes. */
function expectedX(segments: string, t: number): number {
  const segs = segments.split(';').map((s) => s.split(',').map(Number) as [number, number, number, number]);
  for (const [t0, t1, x0, x1] of segs) {
    if (t <= t1) return t <= t0 ? x0 : x0 + ((t - t0) / (t1 - t0)) * (x1 - x0);
  }
  return segs.at(-1)![3];
}

describe.skipIf(!HAVE)('HTML report in headless Chromium', () => {
  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    // A fresh profile (--user-data-dir) for every run.
    browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'kf-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      offline: true,
      viewport: { width: 1360, height: 1000 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    mkdirSync(ARTEFACTS, { recursive: true });
  }, 60_000);
  afterAll(async () => { await browser?.close(); });

  it.each(CASES)('$name: no console errors, one lane per node, each window a bar at its start', async (c) => {
    const { html, json } = build(c);
    const page = await browser!.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    await page.goto(pathToFileURL(html).href);
    expect(errors).toEqual([]);
    expect(requests, 'the report is self-contained').toEqual([]);

    const lanes = await page.$$eval('svg.swimlane g.lane[data-lane-kind="node"]', (gs) => gs.map((g) => g.getAttribute('data-lane')));
    expect(lanes).toEqual(json.inputQuality.nodes);

    const chart = await page.$eval('svg.swimlane', (svg) => {
      const box = svg.getBoundingClientRect();
      const vb = (svg as unknown as { viewBox: { baseVal: { width: number } } }).viewBox.baseVal;
      return { left: box.left, scale: box.width / vb.width, segments: svg.getAttribute('data-segments')! };
    });
    const bars = await page.$$eval('svg.swimlane rect.bar', (rects) => rects.map((r) => ({
      window: Number(r.getAttribute('data-window')), start: Number(r.getAttribute('data-start-ms')), left: r.getBoundingClientRect().left,
      lane: r.closest('g.lane')!.getAttribute('data-lane'),
    })));
    expect(bars.map((b) => b.window).sort((a, b) => a - b)).toEqual(json.windows.map((_, i) => i));
    for (const b of bars) {
      const w = json.windows[b.window]!;
      expect(b.start).toBe(Date.parse(w.start));
      expect(b.lane).toBe(w.topic ?? w.node ?? 'whole cluster');
      const x = chart.left + expectedX(chart.segments, Date.parse(w.start)) * chart.scale;
      expect(Math.abs(b.left - x), `window ${b.window} ${w.kind} ${w.start}`).toBeLessThan(1.5);
    }
    // Windows later in time sit further right.
    const byTime = [...bars].sort((a, b) => a.start - b.start);
    for (let i = 1; i < byTime.length; i++) expect(byTime[i]!.left).toBeGreaterThanOrEqual(byTime[i - 1]!.left - 0.01);

    // Hover text carries the evidence; ticks exist for the key events.
    const title = await page.$eval('svg.swimlane rect.bar title', (t) => t.textContent ?? '');
    expect(title).toMatch(/:\d+ {2}/);
    expect(await page.$$eval('svg.swimlane line.tick', (t) => t.length)).toBeGreaterThan(0);

    // The later sections fold away; the first page holds the summary and the chart.
    expect(await page.$$eval('details', (d) => d.map((x) => x.id))).toEqual(['timeline', 'windows', 'gaps', 'findings', 'input-quality', 'appendix']);
    expect(await page.$$eval('details[open]', (d) => d.length)).toBe(0);
    expect(await page.$eval('.first-page', (s) => [!!s.querySelector('table.summary'), !!s.querySelector('svg.swimlane')])).toEqual([true, true]);

    await page.screenshot({ path: join(ARTEFACTS, `report-${c.name}.png`), fullPage: false });
    await page.emulateMedia({ media: 'print' });
    const whole = await page.pdf({ path: join(ARTEFACTS, `report-${c.name}.pdf`), preferCSSPageSize: true });
    expect(pdfPages(whole)).toBeGreaterThanOrEqual(2);
    // Printed alone (A4 landscape, the report's @page), the summary and the chart are one page:
    // in the whole document they are the first page, and the rest starts on the next (break-after).
    await page.addStyleTag({ content: 'body > :not(.first-page):not(h1):not(.meta) { display: none !important; }' });
    const first = await page.pdf({ path: join(ARTEFACTS, `report-${c.name}.first-page.pdf`), preferCSSPageSize: true });
    expect(pdfPages(first), 'summary and chart fit on one printed page').toBe(1);
    // Runs in the page: its getComputedStyle, typed here without the DOM library.
    expect(await page.$eval('.first-page', (s) => (globalThis as unknown as { getComputedStyle(e: unknown): { breakAfter: string } }).getComputedStyle(s).breakAfter)).toBe('page');
    await page.close();
  }, 60_000);

  it('stays readable at 5,000 events: ticks fold per pixel, the timeline table compacts bursts', async () => {
    const big = bigFixture();
    const { html, json } = build({ name: 'big', fixture: big, flags: ['--tz', 'UTC'] }, big);
    const page = await browser!.newPage();
    await page.goto(pathToFileURL(html).href);
    const ticks = await page.$$eval('svg.swimlane line.tick', (t) => t.map((l) => Number(l.getAttribute('data-count'))));
    expect(json.timeline.keyEvents).toBe(5000);
    expect(ticks.reduce((a, b) => a + b, 0)).toBe(5000);
    expect(ticks.length).toBeLessThan(50);
    expect(json.timeline.rows).toHaveLength(1);
    expect(json.timeline.rows[0]!.count).toBe(5000);
    // The table of the HTML report holds that one row, not 5,000.
    expect(await page.$$eval('table.timeline tbody tr', (r) => r.length)).toBe(1);
    await page.close();
  }, 60_000);
});

/** A broker log of 5,000 warnings, ten a second in bursts, on one node. */
function bigFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kf-big-'));
  const lines: string[] = [];
  const t0 = Date.UTC(2024, 0, 1, 10, 0, 0);
  for (let i = 0; i < 5000; i++) {
    const t = new Date(t0 + i * 700).toISOString();
    const stamp = `${t.slice(0, 10)} ${t.slice(11, 19)},${t.slice(20, 23)}`;
    lines.push(`[${stamp}] WARN [ReplicaFetcher replicaId=2, leaderId=1, fetcherId=0] Connection to node 1 (kafka1/10.0.0.1:9092) could not be established. Broker may not be available. (org.apache.kafka.clients.NetworkClient)`);
  }
  // A broker's own line first: a log of client loggers only would be a client application's, not a node's.
  const first = new Date(t0 - 1000).toISOString();
  lines.unshift(`[${first.slice(0, 10)} ${first.slice(11, 19)},${first.slice(20, 23)}] INFO Registered kafka:type=kafka.Log4jController MBean (kafka.utils.Log4jControllerRegistration$)`);
  writeFileSync(join(dir, 'server.log'), `${lines.join('\n')}\n`);
  return dir;
}
