// What a person at a terminal sees: a command run in a pseudo-terminal
// (util-linux `script`), timed to its first table row and to its first
// progress line, then stopped.
import { spawn, spawnSync } from 'node:child_process';

export const hasScript = spawnSync('sh', ['-c', 'command -v script'], { encoding: 'utf8' }).stdout.trim() !== '';

/** A table row starts with its time: `2024-02-23 00:00:00.459`. */
const ROW = /(?:^|[\n\r]|\u001b\[K)\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/;
/**
 * The progress line: `reading: …`, or any line drawn over itself with a
 * carriage return and an erase-line that is not a row or the heading (which
 * follow the erase of the progress line).
 */
const PROGRESS = /reading: |\r\u001b\[K(?!\d{4}-|Timeline of|Time \()[^\r\n]/;

/**
 * Runs `command` in a pseudo-terminal `columns` wide; resolves with the
 * seconds to the first table row and to the first progress line (null: not
 * seen) once both have shown, 1.5 s after the row, or after `limitSeconds`.
 * @returns {Promise<{ firstRow: number | null, progress: number | null }>}
 */
export function onTerminal(command, { columns = 120, limitSeconds = 120 } = {}) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const since = () => Number(process.hrtime.bigint() - t0) / 1e9;
    // script(1) gives the child a terminal; its own group, so that stopping it stops the command too.
    const child = spawn('script', ['-qfec', `stty cols ${columns} rows 50 2>/dev/null; ${command}`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'ignore'], detached: true, env: { ...process.env, NO_COLOR: '1' },
    });
    let seen = '';
    const found = { firstRow: null, progress: null };
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone already */ }
      resolve(found);
    };
    const timer = setTimeout(finish, limitSeconds * 1000);
    child.stdout.on('data', (d) => {
      if (done) return;
      seen = (seen + d.toString('utf8')).slice(-4096);
      if (found.progress === null && PROGRESS.test(seen)) found.progress = since();
      if (found.firstRow === null && ROW.test(seen)) {
        found.firstRow = since();
        // The progress line may come after the first rows (a fast start): give it a moment more.
        if (found.progress === null) setTimeout(finish, 1500);
      }
      if (found.firstRow !== null && found.progress !== null) finish();
    });
    child.once('exit', finish);
  });
}
