import type { DumpInputJson, GapJson, GapReportJson, LostWritesJson, PartitionGapJson } from '../model/gap.js';
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
  lines.push(`    missing from this copy: ${g.estimatedMissing ?? 'unknown'} records (${g.estimateMethod})`);
  if (g.lostAcknowledgedInGap > 0) lines.push(`    of which written by a deposed leader and lost to truncation: ${g.lostAcknowledgedInGap} (see lost writes)`);
  lines.push(g.meaning.lossClaimed
    ? `    never written: ${g.neverWritten ?? 'unknown'} records — ${g.meaning.kind}: ${g.meaning.text}`
    : `    never written: not claimed — ${g.meaning.text}`);
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
  lines.push(`  rule: ${p.spacing.criterion}${p.spacing.medianMs !== null ? `; median spacing ${(p.spacing.medianMs / 1000).toFixed(3)} s` : ''}`);
  lines.push(`  copy read from ${p.location}: ${p.views.map((v) => `${v.level}-level ${v.file.slice(p.location.length + 1) || v.file} (${v.level === 'record' ? `${v.records} records` : `${v.batches} batches`})`).join(', ')}`);
  for (const c of p.leaderChanges) lines.push(`  leader change at offset ${c.after.offset}: ${c.text}`);
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
  for (const c of p.corruption) lines.push(`  CORRUPT: ${c.file}:${c.line}  ${c.text}`);
  for (const w of p.warnings) lines.push(`  warning: ${w}`);
  return lines;
}

function lostLines(l: LostWritesJson): string[] {
  const name = `${l.topic}-${l.partition ?? '?'}`;
  const lines = [`Lost writes ${name} (${l.copies} cop${l.copies === 1 ? 'y' : 'ies'} compared): ${l.count} — ${l.countMethod}`];
  if (l.epochStarts.length > 0) lines.push(`  leader epochs start: ${l.epochStarts.map((e) => `${e.epoch} at offset ${e.startOffset} (${e.source})`).join('; ')}`);
  for (const d of l.divergent) {
    lines.push(`  ${d.broker ?? 'unknown broker'} (${d.location}): offsets ${d.fromOffset}..${d.toOffset}, ${d.records} records of epoch ${d.epoch}, CreateTime ${d.from ?? '-'} .. ${d.to ?? '-'} — epoch ${d.nextEpoch} starts at offset ${d.epochEnd}, so these were written by the deposed leader of epoch ${d.epoch} and are truncated when it follows the new one (${d.firstLine.file}:${d.firstLine.line} .. :${d.lastLine.line})`);
  }
  for (const t of l.truncations) {
    const shown = t.accountedBy !== null ? `the dumps show ${t.accountedBy} divergent records of ${t.node}` : `no dump of ${t.node}'s log before it: at least ${t.lowerBound} record(s) removed`;
    lines.push(`  ${t.node} truncated ${name} to offset ${t.offset}${t.highWatermark !== null ? ` below high watermark ${t.highWatermark}` : ''} at ${t.time} (${t.file}:${t.line}): ${shown}`);
  }
  for (const m of l.mismatches) lines.push(`  MISMATCH at offset ${m.offset} epoch ${m.epoch}: ${m.what} differs between ${m.a.broker} (${m.a.file}:${m.a.line}) and ${m.b.broker} (${m.b.file}:${m.b.line})`);
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
  if (report.zoneCheck.shiftMs !== null) lines.push('', `!!! ${report.zoneCheck.message}`);
  for (const p of report.partitions) {
    lines.push('', ...partitionLines(p, zone));
  }
  for (const l of report.lostWrites) {
    if (l.count === 0 && l.divergent.length === 0 && l.truncations.length === 0 && l.mismatches.length === 0) continue;
    lines.push('', ...lostLines(l));
  }
  lines.push('', `Zone check: ${report.zoneCheck.message}`);
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
