import { Flags, type Command } from '@oclif/core';
import { parseUserTime, UnknownZoneError, Zone } from '../time/zone.js';

/** Flags every command that reads logs takes. */
export const inputFlags = {
  tz: Flags.string({ description: 'time zone the logs were written in (IANA name, e.g. Asia/Seoul)', default: 'UTC' }),
  'node-map': Flags.string({ description: 'name the node behind a path: PATH=NAME', multiple: true }),
  verbose: Flags.boolean({ char: 'v', description: 'list files that were not read, with the reason', default: false }),
};

/** The --tz zone, or a usage error (exit 2) that says what a zone looks like. */
export function zoneFlag(command: Command, name: string): Zone {
  try {
    return new Zone(name);
  } catch (e) {
    if (e instanceof UnknownZoneError) command.error(e.message, { exit: 2 });
    throw e;
  }
}

export function timeFlag(command: Command, flag: string, value: string | undefined, zone: Zone): number | undefined {
  if (value === undefined) return undefined;
  const t = parseUserTime(value, zone);
  if (Number.isNaN(t)) {
    command.error(`--${flag} "${value}" is not a time. Use "YYYY-MM-DD HH:MM[:SS[.mmm]]", optionally with an offset (+09:00 or Z).`, { exit: 2 });
  }
  return t;
}

export function failOnMissing(command: Command, missing: readonly string[]): void {
  if (missing.length > 0) {
    command.error(`No such file or directory: ${missing.join(', ')}. Check the path; kforensics reads files and directories.`, { exit: 2 });
  }
}
