import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupRotations, rotationName } from '../../src/sources/rotation.js';

const d = (name: string): string => join('/logs/b1', name);
const shuffle = <T>(xs: T[]): T[] => [...xs].reverse().sort((a, b) => (String(a).length % 3) - (String(b).length % 3));

describe('rotationName', () => {
  it.each([
    ['server.log', 'server.log'],
    ['server.log.2022-10-05-17', 'server.log'],
    ['server.log.2022-10-05', 'server.log'],
    ['server.log.2022-10-05-17.gz', 'server.log'],
    ['stage-change.log.2025-05-14-23', 'stage-change.log'],
    ['zookeeper.log.3', 'zookeeper.log'],
    ['zookeeper.log.3.gz', 'zookeeper.log'],
    ['kafkaServer-gc.log.0.current', 'kafkaServer-gc.log.0.current'],
    ['zookeeper.out', 'zookeeper.out'],
    ['2', '2'],
  ])('%s belongs to %s', (name, family) => {
    expect(rotationName(d(name)).family).toBe(d(family));
  });
});

describe('groupRotations orders each family oldest first', () => {
  it.each([
    ['hourly (DailyRollingFileAppender)', ['server.log.2022-10-05-16', 'server.log.2022-10-05-17', 'server.log']],
    ['hourly across a day boundary', ['server.log.2022-10-05-23', 'server.log.2022-10-06-00', 'server.log.2022-10-06-01', 'server.log']],
    ['daily', ['server.log.2022-10-04', 'server.log.2022-10-05', 'server.log']],
    ['numbered (.2 is older than .1)', ['zookeeper.log.10', 'zookeeper.log.2', 'zookeeper.log.1', 'zookeeper.log']],
    ['gzipped and plain rotated files', ['server.log.2022-10-05-15.gz', 'server.log.2022-10-05-16.gz', 'server.log.2022-10-05-17', 'server.log']],
    ['numbered gzipped', ['zookeeper.log.3.gz', 'zookeeper.log.2.gz', 'zookeeper.log.1', 'zookeeper.log']],
  ])('%s', (_name, ordered) => {
    const files = shuffle(ordered).map((n) => ({ path: d(n) }));
    const groups = groupRotations(files);
    expect(groups.size).toBe(1);
    expect([...groups.values()][0]!.map((f) => f.path)).toEqual(ordered.map(d));
  });

  it('keeps different logs and directories apart', () => {
    const files = ['server.log', 'server.log.2022-10-05-17', 'controller.log', 'state-change.log.2022-10-05-17']
      .flatMap((n) => [{ path: join('/logs/b1', n) }, { path: join('/logs/b2', n) }]);
    const groups = groupRotations(files);
    expect([...groups.keys()].sort()).toEqual([
      '/logs/b1/controller.log', '/logs/b1/server.log', '/logs/b1/state-change.log',
      '/logs/b2/controller.log', '/logs/b2/server.log', '/logs/b2/state-change.log',
    ]);
  });
});
