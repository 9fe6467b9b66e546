import { describe, expect, it } from 'vitest';
import { parseProperties, zookeeperServers } from '../../src/readers/properties.js';

describe('parseProperties', () => {
  it('reads key=value and key: value, skipping comments, keeping the line number', () => {
    const p = parseProperties(['# comment', 'broker.id=1', '', 'log.dirs = /home/kafka/data', 'zookeeper.connect: zk1:2181']);
    expect(p.values.get('broker.id')).toEqual({ value: '1', line: 2 });
    expect(p.values.get('log.dirs')?.value).toBe('/home/kafka/data');
    expect(p.values.get('zookeeper.connect')?.value).toBe('zk1:2181');
  });

  it('maps ZooKeeper server addresses to their ids', () => {
    const p = parseProperties(['server.1=0.0.0.0:2888:3888', 'server.2=192.168.0.179:2888:3888', 'server.3=zk3:2888:3888;2181']);
    expect([...zookeeperServers(p)]).toEqual([['0.0.0.0', '1'], ['192.168.0.179', '2'], ['zk3', '3']]);
  });
});
