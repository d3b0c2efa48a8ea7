import { createBlender, defaultEngineSettings, fitEngine, restoreEngine, type EngineSettings } from '../engine/model.ts';
import { evaluate } from './evaluate.ts';
import { loadDataset, type DataFormat } from './load.ts';
import { leaveOneOut, type Stage } from './split.ts';

export interface EvalOptions {
  file: string;
  format: DataFormat;
  cutoffs: number[];
  stage?: Stage;
  settings?: EngineSettings;
}

/**
 * Offline evaluation with the production engine (the same recallers and blend the feed
 * recalls with), leave-one-out with full ranking as in the S3-Rec/SASRec tables. The feed's
 * profile and item features and business rules have no data in these files, so they are not
 * part of it.
 */
export function evalReco(options: EvalOptions) {
  const started = performance.now();
  const dataset = loadDataset(options.file, options.format);
  const split = leaveOneOut(dataset.sequences, options.stage ?? 'test');
  const settings = options.settings ?? defaultEngineSettings;
  const parts = restoreEngine(fitEngine({ sequences: split.train, numItems: dataset.numItems, itemAttributes: dataset.itemAttributes }, settings));
  const blend = createBlender(parts, dataset.numItems);
  const metrics = evaluate({ scoreInto: (history, scores) => blend(history, scores) }, split.cases, dataset.numItems, options.cutoffs);
  const rounded = Object.fromEntries(Object.entries(metrics.summary()).map(([k, v]) => [k, Number(v.toFixed(4))]));
  return {
    result: { users: metrics.users, items: dataset.numItems, ...rounded, model: describe(settings), seconds: Number(((performance.now() - started) / 1000).toFixed(2)) } as Record<string, number | string> & { users: number },
    malformed: dataset.parseReport,
  };
}

/** e.g. "blend(transitions*1+sessionKnn*1+attributePopularity*0.5+popularity*0.001)". */
export function describe(settings: EngineSettings): string {
  const parts = (Object.keys(settings) as (keyof EngineSettings)[]).filter((k) => settings[k].weight > 0).map((k) => `${k}*${settings[k].weight}`);
  return `blend(${parts.join('+')})`;
}
