import { parentPort, workerData } from 'node:worker_threads';
import { fitEngine, type EngineSettings } from './engine/model.ts';
import { fitBoughtTogether } from './bought-together.ts';
import type { TrainingSet } from './training-data.ts';

/** Runs in a worker thread so serving never waits on training: fits the engine and sends the state back. */
const { set, settings } = workerData as { set: TrainingSet; settings: EngineSettings };
const engine = fitEngine({ sequences: set.sequences, numItems: set.itemIds.length, itemAttributes: set.itemAttributes }, settings, (stage, done) =>
  parentPort!.postMessage({ kind: 'progress', stage, done }),
);
const boughtTogether = fitBoughtTogether(set.orders, set.itemIds.length);
parentPort!.postMessage({ kind: 'done', engine, boughtTogether });
