import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { render } from '../../src/commands/report.js';
import { buildReport } from '../../src/report/report-data.js';
import { Pause, writeChunks } from '../../src/report/stream-json.js';
import { Zone } from '../../src/time/zone.js';
import { REPO } from '../commands/run-cli.js';

// `report` quotes the cited lines from the files again on libuv's pool while
// it writes the sections before the appendix (quoteWhileWriting): the
// writing pauses before the appendix's entries until they are quoted, and
// the document is the one written from a report returned whole.

const fixture = join(REPO, 'fixtures', 'ha-test-2024-02-23');
const options = { zone: new Zone('UTC'), generatedAt: 'x' };

/** What writeChunks writes of the pieces, as text. */
async function written(pieces: Iterable<string | Pause>): Promise<string> {
  const parts: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      parts.push(Buffer.from(chunk));
      done();
    },
  });
  await writeChunks(out, pieces);
  return Buffer.concat(parts).toString('utf8');
}

describe('report: the appendix quoted while the sections before it are written', () => {
  it('is read only once its lines are quoted', async () => {
    const { report } = await buildReport([fixture], { ...options, quoteWhileWriting: true });
    const quoted = report.appendix.ready?.();
    expect(quoted).toBeInstanceOf(Promise);
    expect(() => [...report.appendix]).toThrow(/before its lines were quoted/);
    await quoted;
    expect(report.appendix.ready?.()).toBeUndefined();
    expect([...report.appendix].length).toBe(report.appendix.length);
  });

  it.each(['md', 'html', 'json'] as const)('%s: one pause, before the first entry, and the same document', async (format) => {
    const whole = (await buildReport([fixture], options)).report;
    const expected = [...render(format, whole)];
    expect(expected.every((p) => typeof p === 'string')).toBe(true);
    // Read on without waiting at the pause, the entries are not there to read.
    const early = (await buildReport([fixture], { ...options, quoteWhileWriting: true })).report;
    expect(() => [...render(format, early)]).toThrow(/before its lines were quoted/);
    await early.appendix.ready?.();
    const late = (await buildReport([fixture], { ...options, quoteWhileWriting: true })).report;
    const seen: (string | Pause)[] = [];
    const text = await written((function* () {
      for (const p of render(format, late)) {
        seen.push(p);
        yield p;
      }
    })());
    const pauses = seen.filter((p) => p instanceof Pause);
    expect(pauses).toHaveLength(1);
    // The appendix's first entry as each format writes it (ev-1 is linked to before it).
    const entry = { md: '<a id="ev-1"></a>', html: '<tr id="ev-1">', json: '"id": "ev-1"' }[format];
    const firstEntry = expected.findIndex((p) => typeof p === 'string' && p.includes(entry));
    expect(firstEntry).toBeGreaterThan(0);
    const before = seen.indexOf(pauses[0]!);
    expect(seen.slice(0, before).join('')).toBe(expected.slice(0, before).join(''));
    expect(before).toBeLessThanOrEqual(firstEntry);
    expect(text).toBe(expected.join(''));
  });
});
