import Table from 'cli-table3';
import type { RuleDocJson } from '../model/catalogue.js';
import { paintSeverity } from './table.js';

/** A rule's window signal and the fields it reads: `isr-change(partitions, from, to)`. */
export function effectText(effect: RuleDocJson['effect']): string {
  if (!effect) return '';
  const { signal, ...fields } = effect;
  const args = Object.entries(fields).map(([k, v]) => (v === true ? k : k === 'field' || k === v ? v : `${k}=${v}`));
  return `${signal}${args.length > 0 ? `(${args.join(', ')})` : ''}`;
}

/** The catalogue as a table: id, category, severity, who prints it, title and window signal. */
export function renderRulesTable(rules: readonly RuleDocJson[]): string {
  const table = new Table({
    head: ['Rule', 'Category', 'Severity', 'Printed by', 'Title', 'Window signal'],
    colWidths: [44, 13, 10, 11, 44, 30],
    wordWrap: true,
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: { head: [], border: [] },
  });
  for (const r of rules) {
    table.push([
      r.rule, r.category, paintSeverity(r.severity), r.appliesTo.map((k) => (k === 'zookeeper' ? 'ZooKeeper' : 'Kafka')).join(', '),
      r.title, effectText(r.effect),
    ]);
  }
  return table.toString();
}
