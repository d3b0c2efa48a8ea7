import { Worker } from 'node:worker_threads';
import type { Database } from '../../db/database.ts';
import type { PeopleService } from '../people/service.ts';
import type { SearchService } from '../search/service.ts';
import type { TrackingService } from '../tracking/service.ts';
import { defaultEngineSettings, type EngineSettings, type EngineState } from './engine/model.ts';
import type { CsrMatrix } from './engine/sparse.ts';
import type { ModelData, ModelStore } from './models.ts';
import { buildTrainingSet, productAttributes, type TrainingSet } from './training-data.ts';

/** Behaviour older than this is not learned from. */
export const TRAINING_WINDOW_DAYS = 180;

export interface TrainDeps {
  db: Database;
  tracking: TrackingService;
  people: PeopleService;
  search: SearchService;
  crowds: { memberships(): Promise<Map<string, string[]>> };
  store: ModelStore;
}

const CROWD_ITEMS = 50;

export type TrainingProgress = (done: number, stage: string) => void;

/**
 * One training run: reads behaviour, groups it by person, fits the engine in a worker
 * thread, stores the result as a new version and makes it the active one. Progress goes
 * to the version's row (the operator console) and to `onProgress` (the terminal).
 */
export async function trainModel(deps: TrainDeps, trigger: string, onProgress: TrainingProgress = () => {}, settings: EngineSettings = defaultEngineSettings) {
  const { db, tracking, people, search, crowds, store } = deps;
  const version = await store.begin(trigger, settings);
  const progress = async (done: number, stage: string) => {
    onProgress(done, stage);
    await store.progress(version, done, stage);
  };
  try {
    await progress(0.02, 'reading behaviour');
    const started = Date.now();
    const rows = await tracking.interactions(new Date(Date.now() - TRAINING_WINDOW_DAYS * 86_400_000));
    const persons = await people.personsOf(db, [...new Set(rows.map((r) => r.subject))]);
    const catalog = search.catalog();
    const set = buildTrainingSet(
      rows.map((r) => ({ ...r, person: persons.get(r.subject) ?? r.subject })),
      (productId) => {
        const doc = catalog.get(productId);
        return productAttributes(doc?.category, doc?.brand);
      },
    );
    await progress(0.2, 'training');
    const fitted = await fitInWorker(set, settings, (done, stage) => void progress(0.2 + 0.7 * done, stage).catch(() => {}));
    const data: ModelData = { itemIds: set.itemIds, engine: fitted.engine, boughtTogether: fitted.boughtTogether, crowdItems: crowdFavourites(set, await crowds.memberships()) };
    const stats = { persons: set.sequences.length, items: set.itemIds.length, interactions: set.interactions, orders: set.orders.length, seconds: Math.round((Date.now() - started) / 100) / 10 };
    await store.finish(version, data, stats);
    await store.activate(version);
    onProgress(1, 'done');
    return { version, stats };
  } catch (error) {
    await store.fail(version, error instanceof Error ? error.message : String(error));
    throw error;
  }
}

/** What each crowd's members interact with most. */
function crowdFavourites(set: TrainingSet, memberships: Map<string, string[]>): Record<string, Int32Array> {
  const sequenceOf = new Map(set.persons.map((person, i) => [person, set.sequences[i]]));
  const out: Record<string, Int32Array> = {};
  for (const [crowdId, members] of memberships) {
    const counts = new Map<number, number>();
    for (const person of members) for (const item of sequenceOf.get(person) ?? []) counts.set(item, (counts.get(item) ?? 0) + 1);
    out[crowdId] = Int32Array.from([...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, CROWD_ITEMS).map(([item]) => item));
  }
  return out;
}

function fitInWorker(set: TrainingSet, settings: EngineSettings, onProgress: (done: number, stage: string) => void): Promise<{ engine: EngineState; boughtTogether: CsrMatrix }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./train-worker.mjs', import.meta.url), { workerData: { set, settings } });
    worker.on('message', (message) => {
      if (message.kind === 'progress') onProgress(message.done, message.stage);
      if (message.kind === 'done') resolve({ engine: message.engine, boughtTogether: message.boughtTogether });
    });
    worker.on('error', reject);
    worker.on('exit', (code) => code !== 0 && reject(new Error(`training worker exited with code ${code}`)));
  });
}
