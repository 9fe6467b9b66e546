import type { DumpInputJson, GapJson, GapReportJson, PartitionGapJson } from '../model/gap.js';
import type { Zone } from '../time/zone.js';
import { printable } from '../sources/printable.js';

function short(zone: Zone, ms: number | null): string {
  return ms === null ? '-' : zone.formatShort(ms);
}

function offsetOf(ms: number, zone: Zone): string {
  const iso = zone.format(ms);
  return iso.slice(23);
}

function gapLines(g: GapJson, i: number, zone: Zone): string[] {
  const lines: string[] = [];
  const from = `${short(zone, g.before.createTime)} → ${short(zone, g.after.createTime).slice(11)} ${offsetOf(g.after.createTime, zone)}`;
  lines.push(`  Gap ${i + 1}: ${from} (${g.duration})`);
  lines.push(`    last record before: offset ${g.before.offset}  CreateTime ${g.before.createTime}  ${g.before.utc}  ${g.before.time}  epoch ${g.leaderEpochBefore ?? '-'}  (${printable(g.before.file)}:${g.before.line})`);
  lines.push(`    first record after: offset ${g.after.offset}  CreateTime ${g.after.createTime}  ${g.after.utc}  ${g.after.time}  epoch ${g.leaderEpochAfter ?? '-'}  (${printable(g.after.file)}:${g.after.line})`);
  if (g.leaderEpochBefore !== null && g.leaderEpochAfter !== null && g.leaderEpochBefore !== g.leaderEpochAfter) {
    lines.push(`    leader epoch changed ${g.leaderEpochBefore} → ${g.leaderEpochAfter} across the gap (a new leader took over)`);
  } else if (g.leaderEpochBefore !== null) {
    lines.push(`    leader epoch ${g.leaderEpochBefore} on both sides (no leader change recorded between the two records)`);
  }
  if (g.rate !== null && g.rateWindow) {
    const w = g.rateWindow;
    lines.push(`    never written (estimate): ~${g.estimatedMissing} records = ${g.rate.toFixed(4)} records/s × ${(g.durationMs / 1000).toFixed(3)} s; rate from ${w.records} records over offsets ${w.fromOffset}..${w.toOffset} (${(w.durationMs / 1000).toFixed(3)} s before the gap)`);
  } else {
    lines.push('    never written (estimate): unknown (too few records before the gap to measure a rate)');
  }
  for (const e of g.evidence) {
    const label = e.kind === 'last-line-before' ? `${e.node} last line before` : e.kind === 'first-line-after' ? `${e.node} first line after` : `${e.node} event`;
    lines.push(`    ${label}: ${printable(e.file)}:${e.line}  ${printable(e.text || e.time)}`);
  }
  if (g.evidenceNote) lines.push(`    (${g.evidenceNote})`);
  return lines;
}

function partitionLines(p: PartitionGapJson, zone: Zone): string[] {
  const lines: string[] = [];
  const name = `${p.topic}-${p.partition ?? '?'}`;
  lines.push(`${name}  broker: ${p.broker ?? 'unknown'}${p.brokerSource ? ` (${p.brokerSource})` : ''}`);
  lines.push(`  offsets ${p.firstOffset ?? '-'}..${p.lastOffset ?? '-'}: ${p.records} records in ${p.batches} batch lines`);
  lines.push(`  ${p.timestampType} ${short(zone, p.createTime.min)} .. ${short(zone, p.createTime.max)} (${zone.name})`);
  lines.push(`  timestamps: ${p.timestampTypeNote}`);
  const epochs = p.leaderEpochs.map((e) => `${e.epoch} from offset ${e.firstOffset}`).join(', ');
  lines.push(`  leader epochs: ${epochs || 'none printed (pre-0.11 format or batch lines missing)'}`);
  lines.push(`  rule: ${p.spacing.rule}${p.spacing.medianMs !== null ? `; median spacing ${(p.spacing.medianMs / 1000).toFixed(3)} s` : ''}`);
  if (p.gaps.length === 0) lines.push('  no time gaps');
  p.gaps.forEach((g, i) => lines.push(...gapLines(g, i, zone)));
  if (p.offsetDiscontinuities.length > 0) {
    const shown = p.offsetDiscontinuities.slice(0, 20).map((d) => `${d.from}→${d.to} (${d.missing} missing)`).join(', ');
    const more = p.offsetDiscontinuities.length - 20 + p.offsetDiscontinuitiesOmitted;
    lines.push(`  offset discontinuities (compaction, truncation, missing segment or elided paste): ${shown}${more > 0 ? ` and ${more} more` : ''}`);
  } else {
    lines.push('  offsets consecutive (no missing offsets)');
  }
  const skew = p.clockSkew;
  if (skew.backwards > 0) {
    lines.push(`  clock skew: ${skew.backwards} records go back in time by more than ${skew.toleranceMs} ms (max ${formatMs(skew.maxBackwardsMs)}), first at offset ${skew.examples[0]?.offset}`);
  }
  if (skew.future) lines.push(`  clock skew: ${skew.future} records ${skew.futureNote}`);
  for (const w of p.warnings) lines.push(`  warning: ${w}`);
  return lines;
}

function formatMs(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

export function renderGapReport(report: GapReportJson, zone: Zone): string {
  const lines = [`Record gaps in topic ${report.topic} — times in ${zone.name}`];
  if (report.partitions.length === 0) {
    lines.push(`(no DumpLogSegments output for topic ${report.topic} was found in the given paths)`);
  }
  for (const p of report.partitions) {
    lines.push('', ...partitionLines(p, zone));
  }
  return lines.join('\n');
}

export function renderDumpAccounting(dumps: readonly DumpInputJson[], perFile = true): string {
  const lines = [`Read ${dumps.length} dump file(s)${perFile ? ':' : `, ${dumps.reduce((n, d) => n + d.linesRead, 0)} lines.`}`];
  for (const d of perFile ? dumps : []) {
    const parts = [
      `${d.headers} header`, `${d.batches} batch`, `${d.records} record`, `${d.summaries} summary`,
      `${d.indexEntries} index`, `${d.noise} noise`, `${d.wrapped} wrapped`, `${d.unrecognised} unrecognised`,
    ].join(' + ');
    const extra = [
      d.sectionsOfTopic < d.sections ? `${d.sections - d.sectionsOfTopic} of ${d.sections} sections for other files/topics${d.otherTopics.length ? ` (${d.otherTopics.join(', ')})` : ''}` : '',
      d.cut > 0 ? `${d.cut} cut mid-token` : '',
      d.error ? `READ ERROR: ${d.error}` : '',
    ].filter(Boolean).join('; ');
    lines.push(`  ${printable(d.file)}: ${d.linesRead} lines = ${parts}${extra ? ` (${extra})` : ''}`);
  }
  return lines.join('\n');
}
