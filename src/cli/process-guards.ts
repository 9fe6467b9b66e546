import { Command } from '@oclif/core';
import { printable } from '../sources/printable.js';

/**
 * How the process ends, for every command, installed once by bin/run.js
 * before oclif runs a command:
 *
 * - With --json, oclif prints an error as a JSON dump of its internals on
 *   stdout with exit 1. Here the error goes to stderr as one message with its
 *   exit code (2: a usage error such as an unknown flag or a bad value), and
 *   stdout stays empty, so a pipe reading JSON sees nothing rather than an
 *   error it might take for a result.
 * - A closed pipe (`kforensics … | head -1`) is a normal end: exit 0, nothing
 *   on stderr, instead of an EPIPE error.
 * - An error message quotes what was typed (a flag's value, a path, an
 *   unknown flag): its control characters are escaped, so a terminal escape
 *   sequence in it is printed, never obeyed.
 */
export function installProcessGuards(): void {
  // `catch` is protected: reached through the prototype, for every command at once.
  type Catching = { catch(this: Command, err: Error & { exitCode?: number }): Promise<unknown> };
  const proto = Command.prototype as unknown as Catching;
  const plainCatch = proto.catch;
  proto.catch = async function catchError(this: Command, err) {
    if (typeof err.message === 'string') err.message = printable(err.message, false, true);
    if (!this.jsonEnabled()) return plainCatch.call(this, err);
    const exit = (err as { oclif?: { exit?: number } }).oclif?.exit ?? err.exitCode ?? 1;
    process.exitCode = typeof exit === 'number' ? exit : 1;
    process.stderr.write(`Error: ${err.message}\n`);
  };
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
      throw e;
    });
  }
}
