import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { REPO } from '../commands/run-cli.js';

/**
 * A copy of a bundled fixture without its golden outputs (`expected.*`),
 * under `<tmp>/fixtures/<name>`: run with that tmp root as the working
 * directory, the report sees the same relative paths as in the repository,
 * and does not change when another command's golden is added next to the logs.
 */
export function fixtureCopy(fixture: string): string {
  const root = mkdtempSync(join(tmpdir(), 'kf-fixture-'));
  cpSync(join(REPO, fixture), join(root, fixture), {
    recursive: true,
    filter: (src) => !basename(src).startsWith('expected.'),
  });
  return root;
}
