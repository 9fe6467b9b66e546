/**
 * Every file of the real corpus (../shared/corpus, outside the repository)
 * through every reader the plan picks for it: no crash, exact accounting, and
 * the figures the hostile-input issue asks for (files, lines, unrecognised
 * lines per kind and the most frequent unrecognised shapes), printed.
 * Skipped with a note where the corpus is absent.
 */
import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readDumpFile } from '../../src/readers/dump-log-segments.js';
import { parseDescribe } from '../../src/readers/topics-describe.js';
import { parseProperties } from '../../src/readers/properties.js';
import { fileLineSource } from '../../src/sources/lines.js';
import { buildTimeline } from '../../src/read/build.js';
import { Zone } from '../../src/time/zone.js';

const corpus = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus');
const present = existsSync(resolve(corpus, 'PROVENANCE.md'));
if (!present) console.info(`[corpus-figures] skipped: no corpus at ${corpus} (it lives outside the repository)`);

/** A line's shape: digits, hex and long runs folded, so that lines of one kind group together. */
export function shapeOf(text: string): string {
  return text
    .replace(/0x[0-9a-f]+/gi, '0x#')
    .replace(/(?<![A-Za-z])\d+/g, '9')
    .replace(/\s+/g, ' ')
    .slice(0, 60);
}

describe.skipIf(!present)('the whole corpus, every reader (../shared/corpus)', () => {
  it('reads every file without a crash, every line accounted for; prints the figures', async () => {
    const unrecognised = new Map<string, number>();
    const byKind = new Map<string, { files: number; lines: number; unrecognised: number }>();
    const add = (kind: string, lines: number, unrec: number) => {
      const k = byKind.get(kind) ?? { files: 0, lines: 0, unrecognised: 0 };
      k.files++;
      k.lines += lines;
      k.unrecognised += unrec;
      byKind.set(kind, k);
    };
    const note = (kind: string, text: string) => {
      const key = `${kind}\t${shapeOf(text)}`;
      unrecognised.set(key, (unrecognised.get(key) ?? 0) + 1);
    };

    const timeline = await buildTimeline([corpus], {
      zone: new Zone('UTC'), all: true,
      onUnrecognised: (_file, _line, text, reason) => note(`log/${reason}`, text),
    });
    for await (const _ of timeline.events) { /* drain */ }
    const inputs = timeline.inputs();
    let skipped = 0;
    for (const i of inputs) {
      if (i.skipped === null) {
        expect(i.error, i.file).toBeNull();
        expect(i.linesRead, i.file).toBe(i.records + i.folded + i.unrecognised);
        add(i.kind, i.linesRead, i.unrecognised);
      }
    }
    for (const other of timeline.plan.others) {
      const lines: string[] = [];
      if (other.kind === 'dump-log-segments') {
        const r = await readDumpFile(other.path, () => undefined, { onUnrecognised: (_l, text) => note('dump', text) });
        expect(r.error, other.path).toBeNull();
        const c = r.counts;
        expect(c.linesRead).toBe(c.headers + c.batches + c.records + c.summaries + c.indexEntries + c.noise + c.wrapped + c.unrecognised);
        add(other.kind, c.linesRead, c.unrecognised);
        continue;
      }
      for await (const batch of fileLineSource(other.path).batches()) lines.push(...batch);
      if (other.kind === 'topics-describe') {
        const s = parseDescribe(lines);
        expect(s.topics.length + s.partitions.length + s.other).toBe(lines.length);
        add(other.kind, lines.length, s.other);
      } else {
        parseProperties(lines);
        add(other.kind, lines.length, 0);
      }
    }
    skipped = timeline.plan.skipped.length;

    const files = [...byKind.values()].reduce((n, k) => n + k.files, 0);
    const lines = [...byKind.values()].reduce((n, k) => n + k.lines, 0);
    const reasons = new Map<string, number>();
    for (const [k, n] of unrecognised) reasons.set(k.split('\t')[0]!, (reasons.get(k.split('\t')[0]!) ?? 0) + n);
    const top = [...unrecognised].sort((a, b) => b[1] - a[1]).slice(0, 10);
    console.info([
      `[corpus-figures] ${files} files read (${skipped} more skipped: not logs), ${lines} lines, 0 crashes`,
      ...[...byKind].sort().map(([k, v]) => `  ${k}: ${v.files} files, ${v.lines} lines, ${v.unrecognised} unrecognised`),
      `  unrecognised by reason: ${[...reasons].sort().map(([r, n]) => `${r} ${n}`).join(', ')}`,
      '  most frequent unrecognised shapes:',
      ...top.map(([k, n]) => `  ${String(n).padStart(6)}  ${k}`),
    ].join('\n'));
    expect(files).toBeGreaterThan(150);
    expect(relative(corpus, corpus)).toBe('');
  });
});
