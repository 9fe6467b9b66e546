import { defaultClassifier } from '../catalogue/index.js';
import type { Classifier } from '../catalogue/classify.js';
import type { InputJson } from '../model/timeline.js';
import { planInputs, type Plan } from '../sources/plan.js';
import type { Zone } from '../time/zone.js';
import type { TimelineEvent } from './event.js';
import { eventFilter, type EventFilter } from './filter.js';
import { mergeByTime } from './merge.js';
import { familyEvents } from './read.js';

export interface TimelineOptions {
  zone: Zone;
  filter?: EventFilter;
  all?: boolean;
  nodeMap?: readonly string[];
  classifier?: Classifier;
  onUnrecognised?: (file: string, line: number, text: string, reason: string) => void;
}

export interface Timeline {
  plan: Plan;
  /** Merged events, streamed; iterate once. */
  events: AsyncIterable<TimelineEvent>;
  /**
   * Accounting of every input, in input order: files read (complete once
   * `events` is exhausted), then files of other kinds and files skipped.
   */
  inputs(): InputJson[];
}

/** sources → readers → catalogue → merged timeline. */
export async function buildTimeline(paths: readonly string[], options: TimelineOptions): Promise<Timeline> {
  const plan = await planInputs(paths, { nodeMap: options.nodeMap ?? [] });
  const read = new Map<string, InputJson>();
  const keep = eventFilter(options.filter ?? {});
  const streams = plan.families.map((family) => familyEvents(family, {
    zone: options.zone,
    classifier: options.classifier ?? defaultClassifier(),
    all: options.all ?? false,
    keep,
    onInput: (input) => read.set(input.file, input),
    ...(options.onUnrecognised && { onUnrecognised: options.onUnrecognised }),
  }));
  return {
    plan,
    events: mergeByTime(streams),
    inputs: () => {
      const list: InputJson[] = [];
      for (const family of plan.families) for (const f of family.files) { const i = read.get(f.path); if (i) list.push(i); }
      for (const other of plan.others) {
        list.push(emptyInput(other.path, other.kind, `${other.kind} output; read by the commands that use it (gap, report), not by the timeline`));
      }
      for (const s of plan.skipped) list.push(emptyInput(s.path, 'unknown', s.reason));
      return list;
    },
  };
}

function emptyInput(file: string, kind: string, skipped: string): InputJson {
  return {
    file, kind, node: null, linesRead: 0, records: 0, folded: 0, unrecognised: 0,
    badTimestamps: 0, outOfOrder: 0, cutLines: 0, skipped, error: null,
  };
}
