import { Args, Command } from '@oclif/core';
import {
  brokenInputFlags, checkSkewNodes, failOnMissing, inputFlags, reportNothingFound, reportReadFailures, reportSkew,
  skewFlag, StrictFailure, unrecognisedHandlers, zoneFlag,
} from '../cli/common.js';
import { WindowsDocSchema, type WindowsDocJson } from '../model/window.js';
import { renderAccounting, renderSkipped } from '../report/table.js';
import { renderWindowsTable } from '../report/windows-table.js';
import { buildWindows } from '../windows/build.js';

export default class WindowsCommand extends Command {
  static override summary = 'What was unavailable, from when to when, and the evidence.';
  static override description = `Turns the merged timeline into outage windows: broker down, ZooKeeper node down, ZooKeeper quorum lost (no leader), partition offline, under-replicated, isolated node and stale leader. Each window carries its start and end with their uncertainty (last sign of life vs. when the cluster noticed) and the log lines that prove it.

kafka-topics --describe output and server/zookeeper properties found in the paths are used for replica assignments (a partition with replication factor 1 is offline while its only broker is down) and ZooKeeper addresses.`;

  static override examples = ['<%= config.bin %> <%= command.id %> ./logs --tz Asia/Seoul', '<%= config.bin %> <%= command.id %> ./logs --json'];
  static override strict = false;
  static override enableJsonFlag = true;
  static override args = { paths: Args.string({ description: 'log files or directories (read recursively)', required: true }) };
  static override flags = { ...inputFlags, ...brokenInputFlags };

  async run(): Promise<WindowsDocJson | void> {
    const { argv, flags } = await this.parse(WindowsCommand);
    const zone = zoneFlag(this, flags.tz);
    const skew = skewFlag(this, flags.skew);
    const handlers = unrecognisedHandlers(flags);
    let result;
    try {
      result = await buildWindows(argv as string[], {
        zone, nodeMap: flags['node-map'] ?? [], skew,
        ...(handlers.listing && { onUnrecognised: handlers.listing }),
        ...(handlers.cut && { onCutLines: handlers.cut }),
      });
    } catch (e) {
      if (e instanceof StrictFailure) this.error(e.message, { exit: 1 });
      throw e;
    }
    failOnMissing(this, result.missing);
    const problems = (): void => {
      reportNothingFound(argv as string[], result.inputs);
      checkSkewNodes(skew, result.inputs);
      reportSkew(result.skew, skew);
      reportReadFailures(result.inputs);
    };
    if (this.jsonEnabled()) {
      problems();
      return WindowsDocSchema.parse(result.doc);
    }
    this.log(`Outage windows — times in ${zone.name} (log4j timestamps read as ${zone.name} wall-clock time)`);
    this.log(renderWindowsTable(result.doc));
    process.stderr.write(`${renderAccounting(result.inputs)}\n`);
    if (flags.verbose) {
      const skipped = renderSkipped(result.inputs);
      if (skipped) process.stderr.write(`Not read:\n${skipped}\n`);
    }
    problems();
  }
}
