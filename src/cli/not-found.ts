import type { Hook } from '@oclif/core';
import { printable } from '../sources/printable.js';
import { closest } from './suggest.js';

/**
 * `kforensics timelin ./logs`: @oclif/plugin-not-found asks "Did you mean
 * timeline?" on a terminal; where no one can answer (a script, a pipe) it
 * only says the command does not exist. This names the nearest command there.
 * It always fails: a hook that succeeded would let oclif end the run with
 * exit 0. On a terminal it fails without an exit code, which oclif records
 * without ending the run, so the plugin's question is asked and its answer
 * (run the suggestion, or exit 127) decides.
 */
const hook: Hook<'command_not_found'> = async function (opts) {
  const bin = opts.config.bin;
  const help = `Run ${bin} help for a list of available commands.`;
  if (process.stdin.isTTY) throw new Error(help);
  const near = closest(opts.id, opts.config.commands.filter((c) => !c.hidden).map((c) => c.id));
  this.error(`"${printable(opts.id)}" is not a ${bin} command.${near ? ` Did you mean ${bin} ${near}?` : ''} ${help}`, { exit: 127 });
};

export default hook;
