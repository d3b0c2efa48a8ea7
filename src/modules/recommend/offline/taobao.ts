import { ItemIndex, ParseReporter, type SequenceDataset } from './dataset.ts';

export type TaobaoTarget = 'last' | 'last-cart-or-buy';

const BEHAVIORS = new Set(['pv', 'cart', 'fav', 'buy']);
const INTEGER = /^\d+$/;

interface Event {
  item: string;
  category: string;
  behavior: string;
  timestamp: number;
  order: number;
}

/**
 * Converts Taobao UserBehavior rows (user,item,category,behavior,timestamp) into
 * per-user sequences in time order, collapsing consecutive repeats of the same item.
 * With target 'last-cart-or-buy' each sequence is cut after the user's last cart/buy
 * event, so leave-one-out predicts that item; users without such an event are dropped.
 */
export function parseTaobaoFormat(text: string, target: TaobaoTarget = 'last'): SequenceDataset {
  const reporter = new ParseReporter();
  const byUser = groupEventsByUser(text, reporter);
  const index = new ItemIndex();
  const sequences: Int32Array[] = [];
  for (const events of byUser.values()) {
    events.sort((a, b) => a.timestamp - b.timestamp || a.order - b.order);
    const collapsed = collapseRepeats(events);
    const cut = target === 'last' ? collapsed : cutAfterLastConversion(collapsed);
    if (cut.length === 0) continue;
    sequences.push(Int32Array.from(cut, (e) => index.idOf(e.item)));
  }
  const itemAttributes = categoryAttributes(byUser, index);
  return { sequences, numItems: index.size, itemLabels: index.labels, parseReport: reporter.report(), itemAttributes };
}

/** One attribute per item: its (first seen) category. */
function categoryAttributes(byUser: Map<string, Event[]>, index: ItemIndex): Int32Array[] {
  const categories = new ItemIndex();
  const attributes: Int32Array[] = Array.from({ length: index.size }, () => new Int32Array(0));
  for (const events of byUser.values()) {
    for (const e of events) {
      const id = index.lookup(e.item);
      if (id !== undefined && attributes[id].length === 0) attributes[id] = Int32Array.of(categories.idOf(e.category));
    }
  }
  return attributes;
}

function groupEventsByUser(text: string, reporter: ParseReporter): Map<string, Event[]> {
  const byUser = new Map<string, Event[]>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const fields = line.split(',');
    const [user, item, category, behavior, time] = fields;
    if (fields.length !== 5 || !INTEGER.test(user) || !INTEGER.test(item) || !BEHAVIORS.has(behavior) || !INTEGER.test(time)) {
      if (i > 0 || !/user/i.test(line)) reporter.malformed(i + 1); // tolerate a header row
      continue;
    }
    let events = byUser.get(user);
    if (!events) byUser.set(user, (events = []));
    events.push({ item, category, behavior, timestamp: Number(time), order: i });
  }
  return byUser;
}

function collapseRepeats(events: Event[]): Event[] {
  const out: Event[] = [];
  for (const e of events) {
    const prev = out[out.length - 1];
    if (prev && prev.item === e.item) {
      if (isConversion(e.behavior)) prev.behavior = e.behavior;
      continue;
    }
    out.push({ ...e });
  }
  return out;
}

function cutAfterLastConversion(events: Event[]): Event[] {
  for (let i = events.length - 1; i >= 0; i--) {
    if (isConversion(events[i].behavior)) return events.slice(0, i + 1);
  }
  return [];
}

function isConversion(behavior: string): boolean {
  return behavior === 'cart' || behavior === 'buy';
}
