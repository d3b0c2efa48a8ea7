import { ItemIndex, ParseReporter, type SequenceDataset } from './dataset.ts';

const INTEGER = /^\d+$/;

/**
 * Parses the S3-Rec/SASRec text format: one user per line, `user item item ...`,
 * items already in time order. Lines with non-integer tokens or no items are skipped.
 */
export function parseBeautyFormat(text: string): SequenceDataset {
  const index = new ItemIndex();
  const reporter = new ParseReporter();
  const sequences: Int32Array[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const tokens = line.split(/\s+/);
    if (tokens.length < 2 || !tokens.every((t) => INTEGER.test(t))) {
      reporter.malformed(i + 1);
      continue;
    }
    sequences.push(Int32Array.from(tokens.slice(1), (t) => index.idOf(t)));
  }
  return { sequences, numItems: index.size, itemLabels: index.labels, parseReport: reporter.report() };
}
