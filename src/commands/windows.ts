import { Args, Command } from '@oclif/core';
import { runtimeZoneChecks } from '../analysis/runtime-zone.js';
import {
  brokenInputFlags, checkNodeMap, checkSkewNodes, displayFlags, failOnMissing, inputFlags, inputPaths, missingArgument, nodeMapFlag,
  noteDefaultZone, noteZoneUnchecked, perFileAccounting, reportClockChanges, reportNothingFound, reportReadFailures, reportRuntimeZones, reportSkew, skewFlag, StrictFailure,
  unrecognisedHandlers, zoneFlag,
} from '../cli/common.js';
import { WindowsDocSchema, WindowSchema, type WindowsDocJson } from '../model/window.js';
import { rezoneWindow, rezoneWindows } from '../windows/display-zone.js';
import { renderAccounting, renderSkipped } from '../cli/accounting.js';
import { windowsTableBlocks } from '../report/windows-table.js';
import { buildWindows, falseAlarmJson, toWindowJson } from '../windows/build.js';
import { LazyArray, streamedDocument, writeChunks, writeLines, flushed } from '../report/stream-json.js';
import { compiledParse } from '../model/check.js';
import { Progress } from '../cli/progress.js';

export default class WindowsCommand extends Command {
  static override summary = 'What was unavailable, from when to when, and the evidence.';
  static override description = `Turns the merged timeline into outage windows: broker down, ZooKeeper node down, ZooKeeper quorum lost (no leader), partition offline, under-replicated, isolated node and stale leader. Each window carries its start and end with their uncertainty (last sign of life vs. when the cluster noticed) and the log lines that prove it.

kafka-topics --describe output and server/zookeeper properties found in the paths are used for replica assignments (a partition with replication factor 1 is offline while its only broker is down) and ZooKeeper addresses.`;

  static override examples = ['<%= config.bin %> <%= command.id %> ./logs --tz Asia/Seoul', '<%= config.bin %> <%= command.id %> ./logs --json'];
  static override strict = false;
  static override enableJsonFlag = true;
  static override args = { paths: Args.string({ description: 'log files, directories (read recursively) or archives; - or nothing for standard input', required: false, ignoreStdin: true }) };
  static override flags = { ...inputFlags, ...displayFlags, ...brokenInputFlags };

  protected override async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    return super.catch(missingArgument(err, 'the PATHS to read: log files or directories, e.g. kforensics windows ./logs'));
  }

  async run(): Promise<WindowsDocJson | void> {
    const { argv: given, flags, metadata } = await this.parse(WindowsCommand);
    const argv = inputPaths(this, given);
    const zone = zoneFlag(this, flags.tz);
    noteDefaultZone(metadata);
    const shown = flags['display-tz'] ? zoneFlag(this, flags['display-tz']) : zone;
    const skew = skewFlag(this, flags.skew);
    const handlers = unrecognisedHandlers(flags);
    await checkNodeMap(this, argv, flags['node-map']);
    let result;
    // On a terminal, progress while the logs are read (cli/progress.ts); erased before anything is written.
    let progress: Progress | undefined;
    try {
      result = await buildWindows(argv, {
        zone, nodeMap: nodeMapFlag(flags), followSymlinks: flags['follow-symlinks'], layouts: flags.layout ?? [], skew,
        onPlan: (plan) => { progress = new Progress(plan); },
        onInput: (input) => progress?.done(input),
        ...(handlers.listing && { onUnrecognised: handlers.listing }),
        ...(handlers.cut && { onCutLines: handlers.cut }),
      });
    } catch (e) {
      if (e instanceof StrictFailure) this.error(e.message, { exit: 1 });
      throw e;
    } finally {
      progress?.stop();
    }
    failOnMissing(this, result.missing);
    const problems = (): void => {
      reportNothingFound(argv, result.inputs);
      checkSkewNodes(skew, result.inputs);
      reportSkew(result.skew, skew);
      reportClockChanges(result.clockChanges, zone, result.clockNotes);
      noteZoneUnchecked(zone, result.inputs, runtimeChecked);
      reportReadFailures(result.inputs);
    };
    const runtime = await runtimeZoneChecks(result.inputs, zone);
    const runtimeChecked = reportRuntimeZones(runtime);
    const shownIn = (doc: WindowsDocJson): WindowsDocJson => {
      const checked = runtime.length > 0 ? { ...doc, runtimeZoneCheck: runtime } : doc;
      return shown === zone ? checked : rezoneWindows(checked, shown);
    };
    if (this.jsonEnabled()) {
      problems();
      // Written here in pieces (as oclif would print it): the head checked with the windows left out, then each window
      // made JSON, checked and written in turn, never all of them at once.
      // The false alarms too: each checked and written in turn, read back from their temporary file.
      const head = compiledParse(WindowsDocSchema)(shownIn(result.head(false)));
      const window = compiledParse(WindowSchema);
      const falseAlarm = compiledParse(WindowsDocSchema.shape.falseAlarms.element);
      const { list: found, falseAlarms: judged } = result;
      const windows = new LazyArray(function* () {
        for (const w of found) {
          const json = toWindowJson(w, zone);
          yield window(shown !== zone ? rezoneWindow(json, shown) : json);
        }
      });
      const falseAlarms = new LazyArray(function* () {
        for (const f of judged) yield falseAlarm(falseAlarmJson(f, shown));
      });
      await writeChunks(process.stdout, streamedDocument({ ...head, windows, falseAlarms }));
      return;
    }
    this.log(`Outage windows — times in ${shown.name} (log4j timestamps read as ${zone.name} wall-clock time)`);
    // Block by block as the windows are read back, never the whole table (nor every window) at once.
    const { list } = result;
    const json = function* () {
      for (const w of list) {
        // What the table shows alone (no evidence: --json has it).
        const made = toWindowJson(w, zone, false, true);
        yield shown !== zone ? rezoneWindow(made, shown) : made;
      }
    };
    await writeLines(process.stdout, windowsTableBlocks({ ...shownIn(result.head(false)), falseAlarms: result.falseAlarms }, json()));
    await flushed(process.stdout);
    process.stderr.write(`${renderAccounting(result.inputs, perFileAccounting(flags.verbose))}\n`);
    if (flags.verbose) {
      const skipped = renderSkipped(result.inputs);
      if (skipped) process.stderr.write(`Not read:\n${skipped}\n`);
    }
    problems();
  }
}

