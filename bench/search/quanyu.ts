/**
 * The adapter for Quanyu's own engine (src/modules/search/engine/engine.ts, `createSearchEngine`).
 * Returns null while that module does not exist yet, so the benchmark runs with the peers alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SearchEngine } from '../../src/modules/search/engine/types.ts';
import { ROOT } from './dataset.ts';
import type { AdapterFactory } from './peers.ts';

/** SEARCH_ENGINE_MODULE points the benchmark at another module with the same export (e.g. a stub). */
export const ENGINE_PATH = path.resolve(ROOT, process.env.SEARCH_ENGINE_MODULE ?? 'src/modules/search/engine/engine.ts');

export async function quanyu(): Promise<AdapterFactory | null> {
  if (!fs.existsSync(ENGINE_PATH)) return null;
  const mod = (await import(pathToFileURL(ENGINE_PATH).href)) as { createSearchEngine(options?: unknown): SearchEngine };
  return () => {
    const engine = mod.createSearchEngine();
    return {
      name: 'quanyu',
      settings: { module: path.relative(ROOT, ENGINE_PATH), options: 'createSearchEngine() defaults', query: '{ q, limit: k }' },
      build: (docs) => engine.rebuild(docs),
      search: (q, k) => engine.search({ q, limit: k }).hits.map((h) => h.id),
    };
  };
}
