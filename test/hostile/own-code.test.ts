/**
 * Only the package's own code runs: a user or linked oclif plugin in the data
 * directory (~/.local/share/kforensics) is never loaded.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { REPO } from './cli.js';

describe('no code outside the package runs at start', () => {
  it('ignores user and linked plugins in the data directory', () => {
    const t = tempDir('kf-plugins-');
    const marker = join(t.root, 'RAN');
    const plugin = join(t.root, 'plugin');
    t.write('data/kforensics/package.json', JSON.stringify({ oclif: { plugins: [{ type: 'link', name: 'evil', root: plugin }, { type: 'user', name: 'evil2' }] } }));
    t.write('plugin/package.json', JSON.stringify({ name: 'evil', version: '1.0.0', oclif: { hooks: { init: './hook.js' } } }));
    t.write('plugin/hook.js', `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); module.exports = async () => {};`);
    const r = spawnSync(process.execPath, [join(REPO, 'bin/run.js'), 'timeline', join(REPO, 'fixtures/bad/empty.log')], {
      encoding: 'utf8', env: { ...process.env, XDG_DATA_HOME: join(t.root, 'data'), KFORENSICS_DATA_DIR: join(t.root, 'data/kforensics') },
    });
    expect(r.status, r.stderr).not.toBe(null);
    expect(existsSync(marker)).toBe(false);
  });
});
