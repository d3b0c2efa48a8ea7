/** Per-user item sequences in time order, with items remapped to dense ids 0..numItems-1. */
export interface SequenceDataset {
  sequences: Int32Array[];
  numItems: number;
  /** Original item id for each dense id. */
  itemLabels: string[];
  parseReport: ParseReport;
  /** Optional side information: attribute ids (category, brand, ...) per dense item id. */
  itemAttributes?: Int32Array[];
}

export interface ParseReport {
  malformedLines: number;
  firstMalformedLines: number[];
}

const MAX_REPORTED_LINES = 10;

export class ParseReporter {
  private count = 0;
  private readonly first: number[] = [];

  malformed(lineNumber: number): void {
    this.count++;
    if (this.first.length < MAX_REPORTED_LINES) this.first.push(lineNumber);
  }

  report(): ParseReport {
    return { malformedLines: this.count, firstMalformedLines: [...this.first] };
  }
}

/** Assigns dense ids to item labels in order of first appearance. */
export class ItemIndex {
  private readonly ids = new Map<string, number>();
  readonly labels: string[] = [];

  idOf(label: string): number {
    let id = this.ids.get(label);
    if (id === undefined) {
      id = this.labels.length;
      this.ids.set(label, id);
      this.labels.push(label);
    }
    return id;
  }

  lookup(label: string): number | undefined {
    return this.ids.get(label);
  }

  get size(): number {
    return this.labels.length;
  }
}
