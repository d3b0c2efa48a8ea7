/**
 * Leave-one-out split (SASRec/S3-Rec protocol). For a sequence s of length n:
 * - validation: input s[0..n-2), target s[n-2]; models trained on s[0..n-2)
 * - test: input s[0..n-1), target s[n-1]; models trained on s[0..n-1)
 *   (the validation item is folded into training, as in the SASRec/S3-Rec code).
 * Users with fewer than 3 items are kept for training but not evaluated.
 */
export type Stage = 'validation' | 'test';

export interface EvalCase {
  history: Int32Array;
  target: number;
}

export interface Split {
  train: Int32Array[];
  cases: EvalCase[];
}

export function leaveOneOut(sequences: Int32Array[], stage: Stage): Split {
  const holdOut = stage === 'validation' ? 2 : 1;
  const train: Int32Array[] = [];
  const cases: EvalCase[] = [];
  for (const seq of sequences) {
    const cut = Math.max(0, seq.length - holdOut);
    const history = seq.subarray(0, cut);
    if (history.length > 0) train.push(history);
    if (seq.length >= 3) cases.push({ history, target: seq[cut] });
  }
  return { train, cases };
}
