import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReportSchema, type ReportJson } from '../../src/model/report.js';
import { mermaidGantt } from '../../src/report/mermaid.js';
import { REPO } from '../commands/run-cli.js';

// The Markdown report's `gantt` block parsed by Mermaid itself (npm
// `mermaid`, the parser GitHub and GitLab render with). Mermaid needs a DOM
// for its sanitiser even to parse: happy-dom gives it one. Its gantt database
// then yields every task's section, start and end, which must match the
// report's windows as the HTML chart draws them.

interface Task { section: string; task: string; id: string; startTime: Date; endTime: Date; classes?: string[] }
type Mermaid = { parse: (text: string) => Promise<unknown>; mermaidAPI: { getDiagramFromText: (text: string) => Promise<{ db: { getTasks: () => Task[] } }> } };
let mermaid: Mermaid;

beforeAll(async () => {
  const { Window } = await import('happy-dom');
  const w = new Window();
  Object.assign(globalThis, { window: w, document: w.document });
  mermaid = (await import('mermaid')).default as unknown as Mermaid;
}, 60_000);

/** Local wall-clock text of a Date Mermaid made from a zone-less time (it reads them as local time). */
function wall(d: Date): string {
  const p = (n: number, k = 2) => String(n).padStart(k, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

const golden = (name: string): ReportJson => ReportSchema.parse(JSON.parse(readFileSync(join(REPO, 'test/report/golden', `${name}.report.json`), 'utf8')));

/** The ```mermaid block of a Markdown report. */
function block(md: string): string {
  const m = /```mermaid\n([\s\S]*?)\n```/.exec(md);
  expect(m, 'the Markdown report has a mermaid block').not.toBeNull();
  return m![1]!;
}

describe('Mermaid gantt swimlane of the Markdown report', () => {
  it.each(['account-event-2022-10-05', 'ha-test-2024-02-23'])('%s: the golden Markdown\'s block parses, and its tasks are the windows', async (name) => {
    const r = golden(name);
    const text = block(readFileSync(join(REPO, 'test/report/golden', `${name}.report.md`), 'utf8'));
    expect(text).toBe(mermaidGantt(r));
    await expect(mermaid.parse(text)).resolves.toMatchObject({ diagramType: 'gantt' });
    const tasks = (await mermaid.mermaidAPI.getDiagramFromText(text)).db.getTasks();
    // Every window lies inside the task of its lane that names it (bursts share one task), with the same edges for single windows.
    const byId = new Map(tasks.map((t) => [t.id, t]));
    let covered = 0;
    r.windows.forEach((w, i) => {
      const lane = w.topic ?? w.node ?? 'whole cluster';
      const own = byId.get(`w${i + 1}`);
      const task = own ?? tasks.find((t) => t.section === lane && t.id.startsWith('w') && wall(t.startTime) <= w.start.slice(0, 23) && (w.end === null || wall(t.endTime) >= w.end.slice(0, 23)));
      expect(task, `window #${i + 1} ${w.kind} ${lane}`).toBeDefined();
      expect(task!.section).toBe(lane);
      if (own) expect(wall(own.startTime)).toBe(w.start.slice(0, 23));
      if (own && w.end !== null && !/partitions/.test(own.task)) expect(wall(own.endTime)).toBe(w.end.slice(0, 23));
      covered++;
    });
    expect(covered).toBe(r.windows.length);
    // Gaps in the dumps are `done` tasks on their topic's lane, from the last record before to the first after.
    const gaps = r.gaps.flatMap((p) => p.gaps.map((g) => ({ topic: p.topic, g })));
    const gapTasks = tasks.filter((t) => t.id.startsWith('g'));
    expect(gapTasks).toHaveLength(gaps.length);
    gaps.forEach(({ topic, g }, k) => {
      expect(gapTasks[k]!.section).toBe(topic);
      expect(wall(gapTasks[k]!.startTime)).toBe(g.before.time.slice(0, 23));
      expect(wall(gapTasks[k]!.endTime)).toBe(g.after.time.slice(0, 23));
    });
  }, 60_000);

  it('the parser is a real check: a malformed task is refused', async () => {
    const text = mermaidGantt(golden('account-event-2022-10-05'))!;
    await expect(mermaid.parse(`${text}\n  a task without data\n`)).rejects.toThrow(/Parse error/);
  });

  it('names with Mermaid syntax characters are neutralised', async () => {
    const r = golden('account-event-2022-10-05');
    const odd: ReportJson = { ...r, windows: r.windows.map((w) => (w.node === 'broker-1' ? { ...w, node: 'broker:1;#x%%' } : w)) };
    const text = mermaidGantt(odd)!;
    expect(text).toContain('section broker 1 x');
    await expect(mermaid.parse(text)).resolves.toMatchObject({ diagramType: 'gantt' });
  });
});
