import { readFileSync } from 'node:fs';
import { parseBeautyFormat } from './beauty.ts';
import { parseTaobaoFormat, type TaobaoTarget } from './taobao.ts';
import { findAttributeFile, loadItemAttributes } from './attributes.ts';
import type { SequenceDataset } from './dataset.ts';

export type DataFormat = 'beauty' | 'taobao' | 'taobao-conversion';

/**
 * Loads a sequence file. For the beauty format, item attributes are read from
 * `attributesPath` or, if omitted, from `<stem>_item2attributes.json` next to the data.
 */
export function loadDataset(path: string, format: DataFormat, attributesPath?: string): SequenceDataset {
  const text = readFileSync(path, 'utf8');
  if (format === 'beauty') {
    const dataset = parseBeautyFormat(text);
    const attributeFile = attributesPath ?? findAttributeFile(path);
    if (attributeFile) dataset.itemAttributes = loadItemAttributes(attributeFile, dataset.itemLabels);
    return dataset;
  }
  const target: TaobaoTarget = format === 'taobao' ? 'last' : 'last-cart-or-buy';
  return parseTaobaoFormat(text, target);
}

export function guessFormat(path: string): DataFormat {
  return path.toLowerCase().endsWith('.csv') ? 'taobao' : 'beauty';
}
