import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from './commands/run-cli.js';

const README = readFileSync(join(REPO, 'README.md'), 'utf8');
const COMMANDS = ['timeline', 'windows', 'gap', 'report', 'sql', 'rules', 'explain'];

/** The README section whose heading names `kforensics COMMAND`, up to the next heading. */
function section(command: string): string {
  const lines = README.split('\n');
  const start = lines.findIndex((l) => /^###? /.test(l) && new RegExp('`kforensics ' + command + '\\b').test(l));
  if (start < 0) return '';
  const end = lines.findIndex((l, i) => i > start && /^##+ /.test(l));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** Long flags named in the first cell of the section's table rows (`--no-x` as `--x`). */
function readmeFlags(text: string): Set<string> {
  const flags = new Set<string>();
  for (const row of text.split('\n').filter((l) => l.startsWith('| `'))) {
    const cell = row.slice(1, row.indexOf(' |', 2));
    for (const m of cell.matchAll(/`(?:-\w, )?--(?:no-)?([a-z][\w-]*)/g)) flags.add(m[1]!);
    for (const m of cell.matchAll(/`--(?:no-)?([a-z][\w-]*)/g)) flags.add(m[1]!);
  }
  return flags;
}

/** Long flags `--help` lists (FLAGS and GLOBAL FLAGS), `--[no-]x` as `x`. */
function helpFlags(help: string): Set<string> {
  const flags = new Set<string>();
  for (const m of help.matchAll(/^ {2,}(?:-\w, )?--(?:\[no-\])?([a-z][\w-]*)/gm)) flags.add(m[1]!);
  return flags;
}

describe("the README's command reference matches --help", () => {
  it.each(COMMANDS)('kforensics %s: the same flags, and a heading with the usage', (command) => {
    const text = section(command);
    expect(text, `README has no section headed \`kforensics ${command} …\``).not.toBe('');
    const help = runCli([command, '--help']);
    expect(help.status).toBe(0);
    expect([...readmeFlags(text)].sort()).toEqual([...helpFlags(help.stdout)].sort());
    const usage = /^ {2}\$ kforensics (\S+)(?: ([A-Z][A-Z:.]*))?/m.exec(help.stdout)!;
    if (usage[2]) expect(text.split('\n')[0]).toContain(usage[2].replace('...', ''));
  });

  it('every command --help lists is in the README', () => {
    const listed = [...runCli(['help']).stdout.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1]!);
    expect(listed).toEqual(expect.arrayContaining(COMMANDS));
    for (const c of listed.filter((c) => !['help', 'autocomplete'].includes(c))) expect(COMMANDS).toContain(c);
    expect(README).toMatch(/`kforensics help/);
    expect(README).toMatch(/`kforensics autocomplete/);
  });
});
