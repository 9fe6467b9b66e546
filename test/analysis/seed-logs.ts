import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../commands/run-cli.js';

export const SEED_DUMP = join(REPO, 'fixtures', 'account-event-2022-10-05', 'broker-1', 'dump-account_event-0.txt');

/**
 * A temporary incident directory: the seed-001 dump beside broker 1's logs
 * (which stop at 17:05:39,869 and resume at 19:17:58), broker 2's
 * state-change log and a ZooKeeper log. Stands in for the shared fixture's
 * logs, which another change provides.
 */
export function makeSeedIncident(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kf-gap-'));
  mkdirSync(join(dir, 'broker-1'));
  mkdirSync(join(dir, 'broker-2'));
  mkdirSync(join(dir, 'zk-1'));
  copyFileSync(SEED_DUMP, join(dir, 'broker-1', 'dump-account_event-0.txt'));
  writeFileSync(join(dir, 'broker-1', 'server.log.2022-10-05-17'), [
    '[2022-10-05 17:00:39,869] INFO [GroupMetadataManager brokerId=1] Removed 0 expired offsets in 0 milliseconds. (kafka.coordinator.group.GroupMetadataManager)',
    '[2022-10-05 17:05:39,869] INFO [GroupMetadataManager brokerId=1] Removed 0 expired offsets in 0 milliseconds. (kafka.coordinator.group.GroupMetadataManager)',
    '',
  ].join('\n'));
  writeFileSync(join(dir, 'broker-1', 'server.log.2022-10-05-19'), [
    '[2022-10-05 19:17:58,101] INFO starting (kafka.server.KafkaServer)',
    '[2022-10-05 19:18:00,201] INFO [KafkaServer id=1] started (kafka.server.KafkaServer)',
    '[2022-10-05 19:28:00,000] INFO [GroupMetadataManager brokerId=1] Removed 0 expired offsets in 0 milliseconds. (kafka.coordinator.group.GroupMetadataManager)',
    '',
  ].join('\n'));
  writeFileSync(join(dir, 'broker-2', 'state-change.log'), [
    '[2022-10-05 17:06:01,123] ERROR [Controller id=2 epoch=5] Controller 2 epoch 5 failed to change state for partition account_event-0 from OfflinePartition to OnlinePartition (state.change.logger)',
    '[2022-10-05 20:00:00,000] TRACE [Controller id=2 epoch=5] Sending UpdateMetadata request to brokers Set(1, 2, 3) for 0 partitions (state.change.logger)',
    '',
  ].join('\n'));
  writeFileSync(join(dir, 'zk-1', 'zookeeper.log'), [
    '2022-10-05 17:05:57,751 [myid:1] - INFO  [SessionTracker:ZooKeeperServer@355] - Expiring session 0x100000e95480003, timeout of 18000ms exceeded',
    '',
  ].join('\n'));
  return dir;
}
