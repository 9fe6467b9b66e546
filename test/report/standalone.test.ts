import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportSchema, type ReportJson } from '../../src/model/report.js';
import { REPO, runCli } from '../commands/run-cli.js';
import { fixtureCopy } from './fixture-copy.js';

// Every sentence of a report must stand on its own and concern the incident
// read: no reference to documents the reader never saw, no topic that is not
// in the incident's inputs. Run over the bundled incidents and over every
// recorded run in ../shared/recordings (KF_SHARED overrides where it lives).
const SHARED = resolve(process.env.KF_SHARED ?? join(REPO, '../shared'));
const RECORDINGS = join(SHARED, 'recordings');
const HAVE_RECORDINGS = existsSync(RECORDINGS);
if (!HAVE_RECORDINGS) console.warn(`report stand-alone text over the recordings skipped: ${RECORDINGS} not found`);

interface Case { name: string; dir: string; cwd: string; zone: string }

const FIXTURES: Case[] = [
  ['account-event-2022-10-05', 'Asia/Seoul'], ['ha-test-2024-02-23', 'Asia/Seoul'],
  ['isolated-leader-2023-11-14', 'Europe/Berlin'], ['kraft-2025-combined', 'UTC'],
].map(([name, zone]) => {
  const cwd = fixtureCopy(`fixtures/${name}`);
  return { name: name!, dir: `fixtures/${name}`, cwd, zone: zone! };
});

function recordings(): Case[] {
  if (!HAVE_RECORDINGS) return [];
  return readdirSync(RECORDINGS).filter((v) => statSync(join(RECORDINGS, v)).isDirectory()).flatMap((version) =>
    readdirSync(join(RECORDINGS, version)).filter((run) => statSync(join(RECORDINGS, version, run)).isDirectory())
      .map((run) => ({ name: `${version}/${run}`, dir: join(RECORDINGS, version, run), cwd: REPO, zone: 'UTC' })));
}

/** Words that point outside the incident: source documents, their numbering, tickets. */
const FOREIGN_REFERENCE = /\bseeds?\b|\bseed-?\d|\bissue\s*#?\d|\bpostmortem (?:of|from|in) |\bticket\b/i;

function report(c: Case, format: 'md' | 'json'): string {
  const out = join(mkdtempSync(join(tmpdir(), 'kf-standalone-')), `report.${format}`);
  const r = runCli(['report', c.dir, '--tz', c.zone, '--out', out], c.cwd);
  expect([0, 1], r.stderr).toContain(r.status);
  return readFileSync(out, 'utf8');
}

/** The sentences the tool writes itself (not the log lines it quotes). */
function sentences(doc: ReportJson): string[] {
  return [
    doc.summary.narrative, doc.timeline.selection,
    ...doc.findings.flatMap((f) => [f.title, f.observed, f.recommended, f.why, f.incident ?? '']),
    ...doc.recommendations.flatMap((r) => [r.setting, r.recommended, r.note]),
    doc.inputQuality.timeZoneNote, doc.inputQuality.clockSkew.betweenNodes,
    ...doc.inputQuality.falseAlarms.map((f) => f.why),
    ...doc.gaps.flatMap((g) => [g.criterion, ...g.warnings]),
  ].filter((s) => s !== '');
}

/** The Markdown without what it quotes: code spans (log lines, paths) and the appendix. */
function ownMarkdown(md: string): string {
  return md.slice(0, md.indexOf('## Appendix')).replace(/``.*?``|`[^`]*`/g, '');
}

/** Topic names of the bundled incidents and the recordings: none may appear in a report of an incident whose inputs do not hold it. */
const TOPICS = ['account_event', 'orders', 'payments', 'clicks', 'test-topic', 'sign-ups'];

const inputText = new Map<string, string>();
/** Every input file's text, to see which names the incident holds. */
function inputsOf(dir: string, cwd: string): string {
  const root = resolve(cwd, dir);
  let text = inputText.get(root);
  if (text !== undefined) return text;
  const parts: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.startsWith('expected.') && !e.name.endsWith('.gz') && statSync(p).size < 64 << 20) parts.push(relative(root, p), readFileSync(p, 'utf8'));
    }
  };
  walk(root);
  text = parts.join('\n');
  inputText.set(root, text);
  return text;
}

function check(c: Case): void {
  const doc = ReportSchema.parse(JSON.parse(report(c, 'json')));
  const md = ownMarkdown(report(c, 'md'));
  const own = [...sentences(doc), md];
  for (const s of own) expect(s, `${c.name}: refers outside the incident`).not.toMatch(FOREIGN_REFERENCE);
  // Command-line tools' ZooKeeper sessions (30 s, never a broker's) are not key events.
  if (c.name.startsWith('kafka-')) expect(doc.timeline.rows.filter((r) => /timeout of 30000 ?ms/.test(r.message)).map((r) => r.message)).toEqual([]);
  const inputs = inputsOf(c.dir, c.cwd);
  for (const topic of TOPICS) {
    if (inputs.includes(topic)) continue;
    for (const s of own) expect(s.includes(topic) || s.includes(topic.replace(/_/g, '\\_')), `${c.name} names ${topic}, which is not in its inputs: ${s.slice(0, 200)}`).toBe(false);
  }
}

describe('report text stands on its own and concerns only the incident', () => {
  it.each(FIXTURES)('bundled incident $name', (c) => check(c), 60_000);
  it.skipIf(!HAVE_RECORDINGS).each(recordings())('recorded run $name', (c) => check(c), 60_000);
  it('the patterns catch what they are for', () => {
    expect('(seed 004)').toMatch(FOREIGN_REFERENCE);
    expect('in the seed-001 postmortem').toMatch(FOREIGN_REFERENCE);
    expect('the evidence part of a postmortem; decisions are yours').not.toMatch(FOREIGN_REFERENCE);
  });
});
