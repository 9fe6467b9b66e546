/**
 * Readable data is read whatever surrounds it, and what cannot be read is
 * said per file with exit 1: large config files, compression told by content,
 * line endings, leading garbage.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { REPO, runAs } from './cli.js';

const t = tempDir('kf-content-');
const SERVER_LOG = readFileSync(join(REPO, 'fixtures/account-event-2022-10-05/broker-1/server.log'));

type Doc = { inputs: { file: string; skipped: string | null; records: number; error: string | null }[]; events: unknown[] };
const timeline = (path: string, ...flags: string[]) => {
  const r = runAs(['timeline', path, '--json', '--all', ...flags]);
  return { ...r, doc: (r.stdout ? JSON.parse(r.stdout) : undefined) as Doc };
};
const plain = timeline(join(REPO, 'fixtures/account-event-2022-10-05/broker-1/server.log'));

describe('configuration files', () => {
  it('reads a server.properties over 8 MB to its end: a setting on its last line is found', () => {
    t.write('big-config/broker-1/server.log', SERVER_LOG);
    t.write('big-config/broker-1/server.properties', `broker.id=1\n${'# a comment line padding the file ....................................\n'.repeat(140_000)}unclean.leader.election.enable=true\n`);
    const out = join(t.root, 'big-config.json');
    const r = runAs(['report', join(t.root, 'big-config'), '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('unclean.leader.election.enable=true');
  });
});

describe('compression is told by content, not by name', () => {
  it.each(['server.log.GZ', 'server.log.gzip', 'server-log'])('gzip data named %s is read like the plain file', (name) => {
    const path = t.write(`gz-names/${name}`, gzipSync(SERVER_LOG));
    const r = timeline(path);
    expect(r.status, r.stderr).toBe(0);
    expect(r.doc.inputs[0]!.records).toBe(plain.doc.inputs[0]!.records);
    expect(r.doc.events.length).toBe(plain.doc.events.length);
  });

  it('a .gz name over plain text is read as the plain text it is', () => {
    const path = t.write('gz-names/plain.log.gz', SERVER_LOG);
    const r = timeline(path);
    expect(r.status, r.stderr).toBe(0);
    expect(r.doc.events.length).toBe(plain.doc.events.length);
  });
});

describe('damaged gzip', () => {
  it('reads every line before trailing garbage and names where the garbage starts (exit 1)', () => {
    const gz = gzipSync(SERVER_LOG);
    const path = t.write('gz-damage/server.log.gz', Buffer.concat([gz, Buffer.from('GARBAGE'.repeat(100))]));
    const r = timeline(path);
    expect(r.status).toBe(1);
    expect(r.doc.events.length).toBe(plain.doc.events.length);
    expect(r.doc.inputs[0]!.error).toContain(`data that is not gzip from byte ${gz.length} on`);
    expect(r.stderr).toContain('trailing garbage');
  });
});
