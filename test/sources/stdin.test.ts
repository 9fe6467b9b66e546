/**
 * Standard input: `-`, or no path with something piped in, read as one
 * stream (sniffed, decompressed, unpacked as a file would be), named with
 * --stdin-node, cited as `<stdin>:LINE`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../commands/run-cli.js';
import { expectGolden } from '../helpers/golden.js';

const LOG = join(REPO, 'fixtures/ha-test-2024-02-23/node3/server.log.2024-02-23-07');
const GOLDEN = join(REPO, 'fixtures/inputs/stdin-node3-server.expected.json');

function pipe(args: string[], input: Buffer | string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [`${REPO}/bin/run.js`, ...args], {
    cwd: REPO, input, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1', NODE_NO_WARNINGS: '1' },
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const ARGS = ['--tz', 'Asia/Seoul', '--json', '--stdin-node', 'broker-3'];

describe('standard input', () => {
  const text = readFileSync(LOG);

  it('a piped log with no path is read as one stream, named by --stdin-node', () => {
    const r = pipe(['timeline', ...ARGS], text);
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.inputs).toHaveLength(1);
    expect(json.inputs[0]).toMatchObject({ file: '<stdin>', kind: 'kafka-server', node: 'broker-3', linesRead: 148 });
    expectGolden(GOLDEN, `${JSON.stringify(json, null, 2)}\n`);
  });

  it('`-` reads the same, compressed or not', () => {
    const plain = pipe(['timeline', '-', ...ARGS], text);
    expect(plain.stdout).toBe(readFileSync(GOLDEN, 'utf8'));
    const gz = pipe(['timeline', '-', ...ARGS], execFileSync('gzip', ['-c', LOG]));
    expect(gz.status, gz.stderr).toBe(0);
    expect(JSON.parse(gz.stdout)).toEqual(JSON.parse(plain.stdout));
  });

  it('an archive piped in is unpacked, its members named under <stdin>', () => {
    const tgz = execFileSync('tar', ['-cz', '-C', join(REPO, 'fixtures/ha-test-2024-02-23'), 'node3']);
    const r = pipe(['timeline', '-', '--tz', 'Asia/Seoul', '--json'], tgz);
    expect(r.status, r.stderr).toBe(0);
    const files = JSON.parse(r.stdout).inputs.map((i: { file: string; node: string | null }) => i.file);
    expect(files).toContain('<stdin>!/node3/server.log.2024-02-23-07');
    const member = JSON.parse(r.stdout).inputs.find((i: { file: string }) => i.file === '<stdin>!/node3/server.log.2024-02-23-07');
    // Its ZooKeeper client lines name the ZooKeeper server beside the broker.
    expect(member.node.split(',')).toContain('broker-3');
  });

  it('empty standard input and no path: said, exit 1', () => {
    const r = pipe(['timeline', '--tz', 'UTC'], '');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('standard input was empty');
  });

  it('the other commands take standard input too', () => {
    const r = pipe(['windows', '-', '--tz', 'Asia/Seoul', '--json', '--stdin-node', 'broker-3'], text);
    expect(r.status, r.stderr).toBe(0);
    const windows = JSON.parse(r.stdout).windows as { node: string; evidence: { file: string }[] }[];
    expect(windows.length).toBeGreaterThan(0);
    expect(windows[0]!.node).toBe('broker-3');
    expect(windows[0]!.evidence[0]!.file).toBe('<stdin>');
  });
});
