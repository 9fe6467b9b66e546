// `npm run test:e2e`: only the end-to-end suite (a real ZooKeeper ensemble,
// about a minute). The default config (`npm test`) picks the same file up and
// runs it too when ZooKeeper is installed.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/setup/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
