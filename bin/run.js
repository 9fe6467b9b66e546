#!/usr/bin/env -S node --max-semi-space-size=8
// V8's young generation is capped at 8 MB semi-spaces (its default grows to
// 16 MB on a long read). Measured on the bench's server.log, piped to wc:
// peak RSS 94 / 102 / 115 MB at 100 MB / 1 GiB / 4 GiB against 93 / 117 / 128
// with the default, at the same speed; 4 MB promoted more garbage to the old
// generation (136 MB at 1 GiB) and was slower.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execute } from '@oclif/core';
import { runWithinAddressSpace } from '../dist/cli/address-space.js';
import { installProcessGuards } from '../dist/cli/process-guards.js';

// Under `ulimit -v`, the command runs in a child whose heap fits the limit (address-space.ts).
runWithinAddressSpace(fileURLToPath(import.meta.url));
installProcessGuards();

// Only the installed package's own code runs: no user or linked plugins from
// the data directory (~/.local/share/kforensics), no dev plugins. The tool is
// run on evidence, often as root.
await execute({
  loadOptions: { root: dirname(dirname(fileURLToPath(import.meta.url))), userPlugins: false, devPlugins: false },
});
