import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** oclif wraps error messages at the terminal width and prefixes ` ›   `: one line again. */
export const flat = (text: string): string => text.replace(/\n?\s*›\s+/g, ' ').replace(/\s+/g, ' ');

/** Runs the compiled CLI (npm test builds it first) the way a user does. */
export function runCli(args: string[], cwd = REPO): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [`${REPO}/bin/run.js`, ...args], {
    cwd, encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
