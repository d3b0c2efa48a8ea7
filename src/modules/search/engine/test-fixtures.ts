/** A small catalogue for the engine's tests (not a test file itself). */
import { createSearchEngine } from './engine.ts';
import type { SearchDocument, SearchEngine } from './types.ts';

const DAY = 86_400_000;

export function doc(id: string, title: string, extra: Partial<SearchDocument> = {}): SearchDocument {
  return {
    id,
    title,
    merchantId: 'm1',
    merchantName: '全域自营旗舰店',
    merchantKind: 'marketplace',
    price: 10_000,
    inStock: true,
    sales: 0,
    createdAt: Date.UTC(2025, 0, 1),
    ...extra,
  };
}

export const CATALOGUE: SearchDocument[] = [
  doc('iphone', 'Apple iPhone 15 Pro 256G 手机 钛金属', { brand: 'Apple', category: '数码/手机', price: 799_900, sales: 900, merchantKind: 'self_operated', merchantId: 'm-apple' }),
  doc('mate', '华为 Mate 60 Pro 手機 512GB 雅川青', { brand: '华为', category: '数码/手机', price: 699_900, sales: 1200, createdAt: Date.UTC(2025, 5, 1) }),
  doc('case', '苹果手机壳 iPhone15 透明防摔保护套', { brand: '倍思', category: '数码/手机配件', price: 3_900, sales: 5000 }),
  doc('apple-fruit', '烟台红富士苹果 新鲜水果 5斤装', { brand: '果园直发', category: '生鲜/水果', price: 4_990, sales: 3000, inStock: false }),
  doc('shoes', '简约韩版粗跟艾熙百思图亲子鞋冬季百搭', { brand: '艾熙', category: '鞋靴/童鞋', price: 15_900, sales: 40, merchantId: 'm2' }),
  doc('bag', '羚跑商务背包双肩包男士防盗15.6寸电脑包', { brand: '羚跑', category: '箱包/双肩包', price: 12_900, sales: 70, merchantId: 'm2' }),
  doc('laptop', 'Lenovo 联想 ThinkPad 笔记本电脑 14寸', { brand: 'Lenovo', category: '数码/电脑', price: 599_900, sales: 300 }),
  doc('xss', '<script>alert("x")</script> 女鞋 & 凉鞋', { brand: '测试', category: '鞋靴/女鞋', price: 100, sales: 1 }),
  doc('dress', '夏季新款碎花连衣裙女', { category: '女装/连衣裙', price: 19_900, sales: 800, createdAt: Date.UTC(2025, 6, 1) }),
  doc('trad', '繁體標題 蘋果手機殼', { category: '数码/手机配件', price: 2_500, sales: 10 }),
  doc('wide', 'ＡＢＣ全角标题 ｔｅｓｔ', { category: '其他', price: 100, sales: 0, createdAt: Date.UTC(2024, 0, 1) }),
  doc('headset', 'Sennheiser 森海塞尔 头戴式耳机 HD600', { brand: 'Sennheiser', category: '数码/耳机', price: 299_900, sales: 50 }),
];

export function engineWith(docs: SearchDocument[] = CATALOGUE): SearchEngine {
  const engine = createSearchEngine();
  engine.rebuild(docs);
  return engine;
}

export const ids = (result: { hits: { id: string }[] }) => result.hits.map((h) => h.id);
export { DAY };
