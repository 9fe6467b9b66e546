/**
 * Readable data is read whatever surrounds it, and what cannot be read is
 * said per file with exit 1: large config files, compression told by content,
 * line endings, leading garbage.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { REPO, runAs } from './cli.js';

const t = tempDir('kf-content-');
const SERVER_LOG = readFileSync(join(REPO, 'fixtures/account-event-2022-10-05/broker-1/server.log'));

type Doc = { inputs: { file: string; skipped: string | null; records: number; unrecognised: number; error: string | null }[]; events: unknown[] };
const timeline = (path: string, ...flags: string[]) => {
  const r = runAs(['timeline', path, '--json', '--all', ...flags]);
  return { ...r, doc: (r.stdout ? JSON.parse(r.stdout) : undefined) as Doc };
};
const plain = timeline(join(REPO, 'fixtures/account-event-2022-10-05/broker-1/server.log'));

describe('configuration files', () => {
  it('reads a server.properties over 8 MB to its end: a setting on its last line is found', () => {
    // Without the broker's start-up config dump, which would be cited before server.properties.
    const withoutStartUp = SERVER_LOG.toString('utf8').split('\n').filter((l) => !l.startsWith('\t') && !l.includes('KafkaConfig values')).join('\n');
    t.write('big-config/broker-1/server.log', withoutStartUp);
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

describe('a log after other content, NUL runs, line endings', () => {
  const lines = SERVER_LOG.toString('utf8').split('\n');
  const mid = Math.floor(lines.length / 2);
  const random = Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 2654435761) >>> 24));
  const CASES: { name: string; data: Buffer; unrecognised: number }[] = [
    { name: '200 lines of other output before the first record', data: Buffer.concat([Buffer.from(Array.from({ length: 200 }, (_, i) => `starting service step ${i}\n`).join('')), SERVER_LOG]), unrecognised: 200 },
    { name: '8 KB of binary garbage at the head', data: Buffer.concat([random, Buffer.from('\n'), SERVER_LOG]), unrecognised: -1 },
    { name: 'a NUL hole of 2 MiB at the head, no newline after it', data: Buffer.concat([Buffer.alloc(2 << 20), SERVER_LOG]), unrecognised: 0 },
    { name: 'a NUL run of 2 MiB before a record, no newline after it', data: Buffer.concat([Buffer.from(`${lines.slice(0, mid).join('\n')}\n`), Buffer.alloc(2 << 20), Buffer.from(lines.slice(mid).join('\n'))]), unrecognised: 0 },
  ];
  it.each(CASES)('$name: every record read, native and JavaScript paths', ({ name, data, unrecognised }) => {
    const path = t.write(`content/${name.replace(/\W+/g, '-')}.log`, data);
    for (const native of ['1', '0']) {
      const r = runAs(['timeline', path, '--json', '--all'], { env: { KF_NATIVE: native } });
      expect(r.status, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as Doc;
      expect(doc.events.length, `KF_NATIVE=${native}`).toBe(plain.doc.events.length);
      expect(doc.inputs[0]!.records).toBe(plain.doc.inputs[0]!.records);
      if (unrecognised >= 0) expect(doc.inputs[0]!.unrecognised).toBe(unrecognised);
    }
  });

  it('lines ended by CR alone: not read, said with the way to convert, exit 1', () => {
    const path = t.write('content/cr-only.log', SERVER_LOG.toString('utf8').replace(/\n/g, '\r'));
    const r = runAs(['timeline', path]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("cannot read: its lines end in CR alone, not LF or CRLF; read a converted copy: tr '\\r' '\\n'");
  });
});

describe('changes of clocks (daylight saving time) are said', () => {
  const log = (date: string) => {
    const l = (t: string, msg: string) => `[${date} ${t},000] INFO [KafkaServer id=1] ${msg} (kafka.server.KafkaServer)\n`;
    return l('01:30:00', 'before') + ['00', '20', '40'].map((m) => l(`02:${m}:00`, `first ${m}`)).join('') +
      ['00', '20', '40'].map((m) => l(`02:${m}:00`, `second ${m}`)).join('') + l('03:30:00', 'after');
  };
  it('autumn: the repeated hour and how many events fall in it', () => {
    const r = runAs(['timeline', t.write('dst/autumn.log', log('2024-10-27')), '--tz', 'Europe/Berlin', '--all', '--no-windows']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('Europe/Berlin changed its clocks at 2024-10-27T02:00:00.000+01:00 (+02:00 → +01:00): the local hour 02:00–03:00 on 2024-10-27 happened twice');
    // The first pass is placed before the change, the second after it (the clock went back 40 minutes at line 5).
    expect(r.stderr).toContain('3 event(s) fall in the hour after the change');
    expect(r.stderr).toContain('dst/autumn.log:2: 6 record(s) (lines 2–7) stamped in the local hour 02:00–03:00 on 2024-10-27, which Europe/Berlin lived twice (first pass +02:00, second +01:00): 3 placed in the first pass, 3 in the second, from line 5 on, where the clock went back 40m 00s.');
  });
  it('spring: times that did not exist', () => {
    const r = runAs(['windows', t.write('dst/spring.log', log('2024-03-31')), '--tz', 'Europe/Berlin']);
    expect(r.stderr).toContain('local times 02:00–03:00 on 2024-03-31 did not exist; a record stamped in them was read as an hour later');
  });
  it('says nothing in UTC or without a change', () => {
    const r = runAs(['timeline', t.write('dst/none.log', log('2024-06-01')), '--tz', 'Europe/Berlin', '--no-windows']);
    expect(r.stderr).not.toContain('changed its clocks');
  });
});

describe('many small logs', () => {
  it('600 logs merged under ulimit -n 128, on both paths: every record read', () => {
    for (let i = 1; i <= 600; i++) {
      const at = (m: number) => `${String(m).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
      t.write(`many/b${i}/server.log`, Array.from({ length: 50 }, (_, m) => `[2024-01-01 00:${at(m)},000] INFO [KafkaServer id=${i}] started (kafka.server.KafkaServer)\n`).join(''));
    }
    for (const native of ['1', '0']) {
      const r = spawnSync('sh', ['-c', `ulimit -n 128 && "${process.execPath}" bin/run.js timeline "${join(t.root, 'many')}" --json`], {
        cwd: REPO, encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, KF_NATIVE: native, NODE_NO_WARNINGS: '1' },
      });
      expect(r.status, `KF_NATIVE=${native}: ${r.stderr.slice(0, 500)}`).toBe(0);
      const doc = JSON.parse(r.stdout) as Doc;
      expect(doc.inputs.reduce((n, i) => n + i.records, 0)).toBe(30_000);
    }
  });
});
