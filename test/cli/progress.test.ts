import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Progress } from '../../src/cli/progress.js';

const ERASE = '\r\u001b[K';
const PLAN = { families: [{ files: [{ path: 'a.log', size: 10 }, { path: 'b.log', size: 20 }] }] };

/** A terminal stream that records what is written to it, in one log shared by stdout and stderr (one screen). */
function terminal(screen: string[], name: string, isTTY = true): NodeJS.WriteStream {
  return { isTTY, write: (chunk: string) => (screen.push(`${name}:${chunk}`), true) } as unknown as NodeJS.WriteStream;
}

/** Each write of another's that the progress line was on screen for when it came (it should be none). */
function writtenOverProgress(screen: readonly string[]): string[] {
  const over: string[] = [];
  let shown = false;
  for (const w of screen) {
    if (w.startsWith(`err:${ERASE}reading: `)) shown = true;
    else if (w === `err:${ERASE}`) shown = false;
    else if (shown) over.push(w);
  }
  return over;
}

describe('progress line on a terminal, with other output to the same terminal', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('is erased before any write to stderr or stdout and drawn again at the next tick, below it', () => {
    const screen: string[] = [];
    const err = terminal(screen, 'err');
    const out = terminal(screen, 'out');
    const progress = new Progress(PLAN, err, out);
    expect(screen.at(-1)).toMatch(/^err:\r\u001b\[Kreading: 0\.0 of 0\.0 MB, 0 of 2 file\(s\) done, 0\.0 s$/);
    err.write('unrecognised a.log:1 (before the first record of the file): "x"\n');
    vi.advanceTimersByTime(250);
    out.write('2024-02-23 00:00:00.459   broker-1 …\n');
    progress.done({ file: 'a.log' });
    vi.advanceTimersByTime(250);
    err.write('unrecognised b.log:7 (…): "y"\n');
    expect(writtenOverProgress(screen)).toEqual([]);
    expect(screen.filter((w) => w.includes('reading: ')).length).toBe(3);
    expect(screen.at(-2)).toBe(`err:${ERASE}`);
    progress.stop();
  });

  it('is not drawn while a write has left its line unfinished', () => {
    const screen: string[] = [];
    const err = terminal(screen, 'err');
    const progress = new Progress(PLAN, err, terminal(screen, 'out'));
    err.write('half a line');
    vi.advanceTimersByTime(1000);
    expect(screen.at(-1)).toBe('err:half a line');
    err.write(' and its end\n');
    vi.advanceTimersByTime(250);
    expect(screen.at(-1)).toMatch(/^err:\r\u001b\[Kreading: /);
    progress.stop();
  });

  it('stop erases it and gives the streams their own write back; stdout not a terminal is left alone', () => {
    const screen: string[] = [];
    const err = terminal(screen, 'err');
    const out = terminal(screen, 'out', false);
    const ownErr = err.write;
    const ownOut = out.write;
    const progress = new Progress(PLAN, err, out);
    expect(out.write).toBe(ownOut);
    expect(err.write).not.toBe(ownErr);
    progress.stop();
    expect(err.write).toBe(ownErr);
    expect(screen.at(-1)).toBe(`err:${ERASE}`);
    vi.advanceTimersByTime(1000);
    expect(screen.at(-1)).toBe(`err:${ERASE}`);
  });

  it('draws nothing and wraps nothing when stderr is not a terminal', () => {
    const screen: string[] = [];
    const err = terminal(screen, 'err', false);
    const own = err.write;
    const progress = new Progress(PLAN, err, terminal(screen, 'out'));
    vi.advanceTimersByTime(1000);
    expect(err.write).toBe(own);
    expect(screen).toEqual([]);
    progress.stop();
  });
});
