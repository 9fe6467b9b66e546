import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { REPO } from '../commands/run-cli.js';

export { REPO };

/**
 * Runs the built CLI like run-cli.ts, optionally as another user (to meet
 * EACCES while the tests run as root), with Node's own warnings off so that
 * stderr holds only what kforensics says.
 */
export function runAs(args: string[], options: { uid?: number; cwd?: string; env?: Record<string, string> } = {}): { status: number; stdout: string; stderr: string } {
  const spawnOptions: SpawnSyncOptions = {
    cwd: options.cwd ?? REPO, encoding: 'utf8', maxBuffer: 256 << 20,
    env: { ...process.env, NO_COLOR: '1', NODE_NO_WARNINGS: '1', ...options.env },
    ...(options.uid !== undefined && { uid: options.uid, gid: options.uid }),
  };
  const r = spawnSync(process.execPath, [`${REPO}/bin/run.js`, ...args], spawnOptions);
  return { status: r.status ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}
