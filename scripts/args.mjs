// The scripts' command lines: node's own util.parseArgs, --help (-h) printing
// the usage and exiting before anything is generated or run, and an unknown
// option or a stray argument a usage error (exit 2), never a silent default.
import { parseArgs } from 'node:util';

/**
 * @param {string} usage  the whole --help text
 * @param {Record<string, { type: 'string' | 'boolean', default?: string | boolean }>} options
 * @param {{ positionals?: number }} [more]  how many positional arguments are allowed
 */
export function scriptArgs(usage, options, more = {}) {
  let parsed;
  try {
    parsed = parseArgs({ options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: (more.positionals ?? 0) > 0 });
  } catch (e) {
    process.stderr.write(`${e.message}\n\n${usage}\n`);
    process.exit(2);
  }
  if (parsed.values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  if (parsed.positionals.length > (more.positionals ?? 0)) {
    process.stderr.write(`Unexpected argument(s): ${parsed.positionals.join(' ')}\n\n${usage}\n`);
    process.exit(2);
  }
  return parsed;
}
