#!/usr/bin/env -S node --max-semi-space-size=8 --heap-growing-percent=20 --no-allocation-site-pretenuring
// V8's young generation is capped at 8 MB semi-spaces (its default grows to
// 16 MB on a long read). Measured on the bench's server.log, piped to wc:
// peak RSS 94 / 102 / 115 MB at 100 MB / 1 GiB / 4 GiB against 93 / 117 / 128
// with the default, at the same speed; 4 MB promoted more garbage to the old
// generation (136 MB at 1 GiB) and was slower.
// The old generation may grow 20 % past what survived its last full
// collection before the next (V8's default lets it grow up to 4x when the
// program spends little time collecting). The passes that build a record for
// every line (the window engine's, the report's) promote hundreds of MB of
// short-lived records to the old generation; with the default the heap grew
// to 100-190 MB of mostly garbage, and peak RSS swung from run to run. On a
// 256 MB server.log, peak RSS (one run each, load 13 on 2 cores): report
// 253 -> 137 MB, timeline (table) 165 -> 108, timeline --json 219 -> 127,
// windows 103-172 -> 105, timeline --format ndjson 94 -> 95; CPU time the same
// for ndjson, the table and windows, +50 % for report and --json (more full
// collections). 16 MB semi-spaces with the same 20 % kept CPU at the default's
// but left report at 164-178 MB; 12 MB, 168.
// No allocation-site pretenuring: V8 allocates straight into the old
// generation the objects made where most of the recent ones outlived a
// young-generation collection. A pass's batches of records outlive one
// while a command formats what it prints (the table's rows, --json's
// events); once a site was judged so (at random, some runs and not others),
// every record made there for the rest of the pass was old-generation
// garbage: on a 1 GiB server.log, `timeline` promoted 110-130 MB in some
// runs and 330 MB in others. Without it (old/new alternated, load 8-9 on 2
// cores, CPU user+sys, peak RSS): timeline 6.71/5.65 -> 5.24/5.36 s,
// 123 -> 115 MB; --json 5.72/5.90 -> 4.90/4.91 s, 125-129 -> 118-120 MB;
// windows 5.03/4.81 -> 4.14/4.08 s, 122-126 -> 112-113 MB; --format ndjson
// unchanged (2.53/2.55 -> 2.61/2.52 s).
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
