/**
 * `timeline --format ecs` / `ecs-bulk` on the bundled incidents, checked
 * against the ECS field reference kept as test data (test/data/ecs, trimmed
 * from ECS 9.4.0, Apache-2.0): every field is an ECS field with a value of
 * its type, or a custom kafka.* / zookeeper.* one; categorisation values are
 * allowed ones; each custom field keeps one type across documents (an index
 * maps a field once); every line is one flat JSON object of scalars and
 * arrays of scalars (ClickHouse's JSONEachRow takes it as it is); one
 * document per event and one state document per window.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from '../commands/run-cli.js';

const DATA = join(REPO, 'test/data/ecs');
const FIELDS = new Map<string, { type: string; array: boolean }>(
  readFileSync(join(DATA, 'fields.csv'), 'utf8').trim().split('\n').slice(1).map((l) => {
    const [field, type, , normalization] = l.split(',');
    return [field!, { type: type!, array: normalization === 'array' }];
  }),
);
const ALLOWED = JSON.parse(readFileSync(join(DATA, 'allowed-values.json'), 'utf8')) as {
  'event.kind': string[]; 'event.type': string[]; 'event.category': Record<string, string[]>;
};

const CASES = [
  { dir: 'fixtures/account-event-2022-10-05', tz: 'Asia/Seoul' },
  { dir: 'fixtures/ha-test-2024-02-23', tz: 'Asia/Seoul' },
  { dir: 'fixtures/isolated-leader-2023-11-14', tz: 'Europe/Berlin' },
  { dir: 'fixtures/kraft-2025-combined', tz: 'UTC' },
];

const TEXT = new Set(['keyword', 'match_only_text', 'wildcard', 'text', 'constant_keyword']);

function checkValue(field: string, value: unknown): void {
  const spec = FIELDS.get(field)!;
  const values = Array.isArray(value) ? value : [value];
  if (Array.isArray(value)) expect(spec.array || spec.type === 'keyword', `${field} is an array`).toBe(true);
  for (const v of values) {
    if (spec.type === 'date') expect(typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(v), `${field}: ${String(v)}`).toBe(true);
    else if (spec.type === 'long') expect(Number.isInteger(v), `${field}: ${String(v)}`).toBe(true);
    else if (TEXT.has(spec.type)) expect(typeof v, field).toBe('string');
    else throw new Error(`${field}: type ${spec.type} not expected in kforensics' documents`);
  }
}

const jsonType = (v: unknown): string => (Array.isArray(v) ? `array of ${[...new Set(v.map((x) => typeof x))].join('|')}` : typeof v);

describe.each(CASES)('timeline --format ecs on $dir', ({ dir, tz }) => {
  const r = runCli(['timeline', dir, '--tz', tz, '--format', 'ecs']);
  const lines = r.stdout.trimEnd().split('\n');
  const docs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);

  it('every field is in the ECS reference (or custom kafka.*/zookeeper.*), with a value of its type', () => {
    expect(docs.length).toBeGreaterThan(0);
    const unknown = new Set<string>();
    for (const doc of docs) {
      for (const [field, value] of Object.entries(doc)) {
        if (/^(kafka|zookeeper)\./.test(field)) continue;
        if (!FIELDS.has(field)) unknown.add(field);
        else checkValue(field, value);
      }
    }
    expect([...unknown]).toEqual([]);
  });

  it('event.kind, event.category and event.type hold allowed values; each type one its category expects', () => {
    for (const doc of docs) {
      expect(ALLOWED['event.kind']).toContain(doc['event.kind']);
      for (const category of doc['event.category'] as string[]) {
        expect(Object.keys(ALLOWED['event.category'])).toContain(category);
        for (const type of doc['event.type'] as string[]) {
          expect(ALLOWED['event.type']).toContain(type);
          expect(ALLOWED['event.category'][category], `${category}/${type} (${String(doc['event.action'])})`).toContain(type);
        }
      }
    }
  });

  it('flat JSONEachRow rows: scalars and arrays of scalars, one type per field across documents', () => {
    const types = new Map<string, Set<string>>();
    for (const doc of docs) {
      for (const [field, value] of Object.entries(doc)) {
        const values = Array.isArray(value) ? value : [value];
        for (const v of values) expect(['string', 'number', 'boolean'], field).toContain(typeof v);
        // An index maps a field once: a number and a list of numbers agree, a number and a string do not.
        if (Array.isArray(value) && value.length === 0) continue;
        const t = jsonType(value).replace(/^array of /, '');
        (types.get(field) ?? types.set(field, new Set()).get(field)!).add(t);
      }
    }
    const mixed = [...types].filter(([, t]) => t.size > 1).map(([f, t]) => `${f}: ${[...t].join(', ')}`);
    expect(mixed).toEqual([]);
  });

  it('one document per event, one state document per window, citing file:line', () => {
    const timeline = JSON.parse(runCli(['timeline', dir, '--tz', tz, '--json']).stdout) as { events: { file: string; line: number }[]; windows: unknown[] };
    const events = docs.filter((d) => d['event.kind'] === 'event');
    const states = docs.filter((d) => d['event.kind'] === 'state');
    expect(events.length).toBe(timeline.events.length);
    expect(states.length).toBe(timeline.windows.length);
    expect(events.map((d) => `${String(d['log.file.path'])}:${String(d['log.origin.file.line'])}`)).toEqual(timeline.events.map((e) => `${e.file}:${e.line}`));
  });

  it('ecs-bulk: a create action before each of the same documents', () => {
    const bulk = runCli(['timeline', dir, '--tz', tz, '--format', 'ecs-bulk']).stdout.trimEnd().split('\n');
    expect(bulk.length).toBe(lines.length * 2);
    for (let i = 0; i < bulk.length; i += 2) {
      expect(bulk[i]).toBe('{"create":{}}');
      expect(bulk[i + 1]).toBe(lines[i / 2]);
    }
  });
});

describe('gap --format ecs', () => {
  const args = ['gap', '--topic', 'account_event', 'fixtures/account-event-2022-10-05', '--tz', 'Asia/Seoul'];
  it('one state document per gap, every field in the ECS reference or custom kafka.*', () => {
    const gap = JSON.parse(runCli([...args, '--json']).stdout) as { partitions: { gaps: { before: { offset: number } }[] }[] };
    const docs = runCli([...args, '--format', 'ecs']).stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const gaps = gap.partitions.flatMap((p) => p.gaps);
    expect(gaps.length).toBeGreaterThan(0);
    expect(docs.map((d) => d['kafka.gap.before_offset'])).toEqual(gaps.map((g) => g.before.offset));
    for (const doc of docs) {
      expect(doc['event.kind']).toBe('state');
      for (const [field, value] of Object.entries(doc)) {
        if (/^kafka\./.test(field)) continue;
        expect(FIELDS.has(field), field).toBe(true);
        checkValue(field, value);
      }
    }
    const bulk = runCli([...args, '--format', 'ecs-bulk']).stdout.trimEnd().split('\n');
    expect(bulk.filter((l, i) => i % 2 === 0).every((l) => l === '{"create":{}}')).toBe(true);
    expect(bulk.length).toBe(docs.length * 2);
  });
});
