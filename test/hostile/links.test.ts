/**
 * What an evidence folder holds besides plain files: symbolic links out of it
 * (not followed unless --follow-symlinks, listed, exit 1), links inside it,
 * hard links (read once), names that are not UTF-8 or that hold terminal
 * escape sequences, and deep nesting.
 */
import { spawnSync } from 'node:child_process';
import { linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover } from '../../src/sources/discover.js';
import { tempDir } from '../helpers/tmp.js';
import { REPO, runAs } from './cli.js';

const line = (id: number, s: number) => `[2024-01-01 00:00:${String(s).padStart(2, '0')},000] INFO [KafkaServer id=${id}] started (kafka.server.KafkaServer)\n`;

const t = tempDir('kf-links-');
const ev = join(t.root, 'ev');
t.write('ev/broker-1/server.log', line(1, 1));
t.write('host/secret.log', line(9, 9));
symlinkSync(join(t.root, 'host'), join(ev, 'host'));
symlinkSync('broker-1', join(ev, 'again'));
linkSync(join(ev, 'broker-1/server.log'), join(ev, 'server.log.hard'));
writeFileSync(Buffer.concat([Buffer.from(`${ev}/bad`), Buffer.from([0xff]), Buffer.from('.log')]), line(2, 2));
writeFileSync(join(ev, 'esc\x1b[31mred.log'), 'not a log\n');
// A folder named in Latin-1 (br\xe9ker-4): its files are read too.
mkdirSync(Buffer.concat([Buffer.from(`${ev}/br`), Buffer.from([0xe9]), Buffer.from('ker-4')]));
writeFileSync(Buffer.concat([Buffer.from(`${ev}/br`), Buffer.from([0xe9]), Buffer.from('ker-4/server.log')]), line(4, 4));

describe('symbolic links, hard links and odd names in the evidence', () => {
  it('does not follow a link out of the given folder: listed with the way to read it, exit 1', () => {
    const r = runAs(['timeline', ev, '--json'], { cwd: t.root });
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout) as { inputs: { file: string; skipped: string | null }[]; events: { node: string }[] };
    expect(doc.events.map((e) => e.node)).toEqual(['broker-1', 'broker-2', 'broker-4']);
    const host = doc.inputs.find((i) => i.file.endsWith('/host'));
    expect(host?.skipped).toContain('outside the given paths; not followed (give --follow-symlinks');
    expect(r.stderr).toMatch(/could not be read in full[\s\S]*\/host: cannot read: symbolic link to .*\/host, outside the given paths/);
  });

  it.each([
    ['report', ev, '--out', join(t.root, 'report.md')],
    ['gap', '--topic', 'orders', ev, '--json'],
  ])('%s says the link not followed too, with exit 1', (...args) => {
    const r = runAs(args, { cwd: t.root });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/\/host: cannot read: symbolic link to .*\/host, outside the given paths/);
  });

  it('follows it with --follow-symlinks', () => {
    const r = runAs(['timeline', ev, '--json', '--follow-symlinks'], { cwd: t.root });
    const doc = JSON.parse(r.stdout) as { events: { node: string }[] };
    expect(doc.events.map((e) => e.node).sort()).toEqual(['broker-1', 'broker-2', 'broker-4', 'broker-9']);
  });

  it('reads a file reached by a hard link or a link inside once, and says so', async () => {
    const found = await discover([ev]);
    expect(found.files.map((f) => f.path)).toEqual([
      join(ev, 'bad\\xff.log'), join(ev, 'br\\xe9ker-4/server.log'), join(ev, 'broker-1/server.log'), join(ev, 'esc\x1b[31mred.log'),
    ]);
    expect(found.notRead).toEqual(expect.arrayContaining([
      { path: join(ev, 'again'), reason: 'symbolic link to a directory already read (loop or duplicate)' },
      { path: join(ev, 'server.log.hard'), reason: `same file as ${join(ev, 'broker-1/server.log')} (hard link); read once` },
    ]));
  });

  it('the command says which paths were the same file', () => {
    const r = runAs(['timeline', ev, '--verbose'], { cwd: t.root });
    expect(r.stderr).toContain(`${join(ev, 'server.log.hard')}: same file as ${join(ev, 'broker-1/server.log')} (hard link); read once`);
  });

  it('reads files and folders whose names are not UTF-8, named with \\x escapes; escapes control characters in names', () => {
    const r = runAs(['timeline', ev, '--verbose', '--json', '--all'], { cwd: t.root });
    const doc = JSON.parse(r.stdout) as { inputs: { file: string; records: number; skipped: string | null }[] };
    expect(doc.inputs.find((i) => i.file === join(ev, 'bad\\xff.log'))).toMatchObject({ records: 1, skipped: null });
    expect(doc.inputs.find((i) => i.file === join(ev, 'br\\xe9ker-4/server.log'))).toMatchObject({ records: 1, skipped: null });
    const table = runAs(['timeline', ev, '--verbose'], { cwd: t.root });
    expect(table.stderr).toContain('esc\\x1b[31mred.log');
    expect(table.stderr).not.toContain('\x1b');
  });

  it('a name that is not UTF-8 given on the command line (Node cannot pass its bytes on): exit 2, give its folder', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${REPO}/bin/run.js" timeline "${ev}/bad$(printf '\\377').log"`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(2);
    expect(r.stderr.replace(/\s*›\s*/g, ' ')).toContain('A name that is not UTF-8 cannot be passed on the command line: give the folder that holds it');
  });

  it('walks 1,500 nested folders', async () => {
    const deep = join(t.root, 'deep');
    let p = deep;
    for (let i = 0; i < 1500; i++) p = join(p, 'd');
    mkdirSync(p, { recursive: true });
    writeFileSync(join(p, 'server.log'), line(3, 3));
    const found = await discover([deep]);
    expect(found.files.map((f) => f.path)).toEqual([join(p, 'server.log')]);
  });
});
