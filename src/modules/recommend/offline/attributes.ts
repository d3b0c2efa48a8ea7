import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

/**
 * Reads an item -> attribute ids JSON map ({"itemLabel": [attr, ...]}) and aligns it
 * with the dataset's dense item ids. Attribute ids are remapped to 0..k-1.
 * Items without attributes get an empty list; unknown or malformed entries are ignored.
 */
export function loadItemAttributes(path: string, itemLabels: string[]): Int32Array[] {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const attributeIds = new Map<string, number>();
  return itemLabels.map((label) => {
    const attrs = raw[label];
    if (!Array.isArray(attrs)) return new Int32Array(0);
    return Int32Array.from(attrs.map(String), (a) => {
      let id = attributeIds.get(a);
      if (id === undefined) attributeIds.set(a, (id = attributeIds.size));
      return id;
    });
  });
}

/** Beauty.txt -> Beauty_item2attributes.json in the same folder, if present. */
export function findAttributeFile(dataPath: string): string | undefined {
  const stem = basename(dataPath, extname(dataPath));
  const candidate = join(dirname(dataPath), `${stem}_item2attributes.json`);
  return existsSync(candidate) ? candidate : undefined;
}
