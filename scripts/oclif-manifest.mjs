#!/usr/bin/env node
// Part of `npm run build`: writes oclif.manifest.json from the built
// commands, so that oclif reads their flags from it at start instead of
// importing every command module (~30 ms of each run).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Config } from '@oclif/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const config = await Config.load({ root });
const plugin = config.getPluginsList().find((p) => p.root === config.root);
if (!plugin) throw new Error(`oclif-manifest: no plugin at ${root}`);
writeFileSync(join(root, 'oclif.manifest.json'), `${JSON.stringify({ ...plugin.manifest, version: config.version }, null, 2)}\n`);
