import { configDefaults, defineConfig } from 'vitest/config';

// Most test files spend their time waiting on the CLI they spawn, so two files
// at once keep both of a 2-core machine's cores busy (vitest's default is one
// worker fewer than the cores: one, here). The end-to-end ZooKeeper suite times
// a real ensemble's failure detection, so it runs after the rest, alone.
const E2E = 'test/e2e/**/*.test.ts';

export default defineConfig({
  test: {
    globalSetup: ['test/setup/global-setup.ts'],
    pool: 'forks',
    // A test that runs the CLI a dozen times takes minutes on a machine loaded
    // many times over; a hang is still caught.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, E2E], maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'e2e', include: [E2E], maxWorkers: 1, hookTimeout: 300_000, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
