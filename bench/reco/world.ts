/**
 * A synthetic marketplace for the recommendation benchmark: products in leaf categories
 * with Zipf popularity, and people with two or three interests who browse along chains of
 * related products in those categories (what a real behaviour log looks like to a
 * sequential recommender). Deterministic for a seed.
 */
import type { SearchDocument } from '../../src/modules/search/engine/types.ts';
import { seededRandom } from '../../src/shared/random.ts';

export const TOP_CATEGORIES = ['美妆', '数码', '家居', '服饰', '食品', '母婴', '运动', '图书', '宠物', '汽车'];
const LEAVES_PER_TOP = 20;

export interface World {
  docs: SearchDocument[];
  /** Product indices per leaf category, most popular first. */
  byLeaf: number[][];
  /** Per person, product indices in time order. */
  histories: number[][];
}

export function buildWorld(items: number, people: number, seed = 7): World {
  const random = seededRandom(seed);
  const leaves = TOP_CATEGORIES.flatMap((top) => Array.from({ length: LEAVES_PER_TOP }, (_, i) => `${top}/子类${i + 1}`));
  const byLeaf: number[][] = leaves.map(() => []);
  const now = Date.now();
  const docs: SearchDocument[] = Array.from({ length: items }, (_, i) => {
    const leaf = i % leaves.length;
    byLeaf[leaf].push(i);
    return {
      id: `prd_bench_${i}`, title: `${leaves[leaf].split('/')[0]}好物 ${i} 号`, category: leaves[leaf], brand: `品牌${(i * 7) % 500}`,
      merchantId: `mch_bench_${i % 200}`, merchantKind: 'marketplace', price: 1000 + Math.floor(random() * 50_000),
      inStock: random() > 0.02, sales: 0, createdAt: now - Math.floor(random() * 120) * 86_400_000,
    };
  });
  const zipf = (n: number) => Math.min(n - 1, Math.floor(n * Math.pow(random(), 3)));
  const histories = Array.from({ length: people }, () => {
    const interests = Array.from({ length: 2 + Math.floor(random() * 2) }, () => Math.floor(random() * leaves.length));
    const length = 10 + Math.floor(random() * 50);
    const history: number[] = [];
    let leaf = interests[0];
    let at = zipf(byLeaf[leaf].length);
    for (let k = 0; k < length; k++) {
      if (random() < 0.2) {
        leaf = interests[Math.floor(random() * interests.length)];
        at = zipf(byLeaf[leaf].length);
      } else {
        at = Math.min(byLeaf[leaf].length - 1, at + 1 + Math.floor(random() * 3)); // browse along a chain of related products
      }
      history.push(byLeaf[leaf][at]);
    }
    return history;
  });
  return { docs, byLeaf, histories };
}
