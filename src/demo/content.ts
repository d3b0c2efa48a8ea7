import type { AppContext } from '../app.ts';
import { demoShoppers } from './catalog-data.ts';

const NOTES = [
  { title: '回购第三次了，真心推荐', body: '用了快半年，{p}是我今年买过最值的东西之一。做工扎实，细节也很用心，朋友来家里都问链接。' },
  { title: '通勤党的宝藏好物分享', body: '每天通勤两小时，{p}帮了大忙。优点：轻便、好用、颜值在线；缺点：想不出来。' },
  { title: '双十一囤货清单｜不踩雷', body: '整理了今年囤的几样：{p}。都是自用回购款，价格在直播间蹲会更划算。' },
  { title: '学生党平价替代，效果惊喜', body: '预算有限也能买到好东西，{p}性价比真的很高，宿舍姐妹人手一个。' },
  { title: '送爸妈的礼物，他们很喜欢', body: '给爸妈挑了{p}，操作简单，老人家用着也顺手，包装也很体面。' },
  { title: '开箱｜期待了很久终于到了', body: '物流很快，第二天就到了。{p}实物比图片还好看，用了一周再来更新感受。' },
  { title: '租房党改造小家的必备', body: '小空间也能住得舒服，{p}放在家里一下子就有了生活气息。' },
  { title: '健身三个月，这些装备最实用', body: '从零开始健身，陆续买了{p}，坚持下来最重要，装备顺手会更有动力。' },
];

/**
 * Demo content for the 种草 feed: notes by the demo shoppers (the first a certified creator)
 * linking demo products, with likes and comments; one store live now selling four SKUs at a live price, another announcing a
 * session for tomorrow evening. Runs once, after the demo orders.
 */
export async function seedDemoContent(context: AppContext) {
  const { db, services } = context;
  const { content, identity } = services;
  const products = await db.query<{ id: string; title: string; merchant_id: string }>('SELECT id, title, merchant_id FROM products ORDER BY title');
  if (!products.length) return;
  const shoppers = [];
  for (const s of demoShoppers) {
    const u = await identity.findUserByEmail(db, s.email);
    if (u) shoppers.push({ id: u.id, roles: ['shopper'] });
  }
  // The first demo shopper writes a lot: the platform certified them as a creator (达人).
  if (shoppers[0]) await content.certifyCreator(shoppers[0].id, '好物达人', { id: 'demo', roles: ['operator'] });
  for (const [i, n] of NOTES.entries()) {
    const linked = [0, 1, 2].slice(0, 1 + (i % 3)).map((k) => products[(i * 53 + k * 17) % products.length]);
    const author = shoppers[i % shoppers.length];
    const note = await content.createNote(author, { title: n.title, body: n.body.replace('{p}', linked.map((p) => `「${p.title}」`).join('、')), productIds: [...new Set(linked.map((p) => p.id))] });
    for (const [k, s] of shoppers.entries()) if (s !== author && (i + k) % 2 === 0) await content.like(note.id, s.id);
    if (i % 2 === 0) await content.addComment(note.id, shoppers[(i + 1) % shoppers.length], ['求链接！', '已下单，坐等收货', '颜色好好看', '蹲一个直播间价格'][i % 4]);
  }
  const byStore = new Map<string, typeof products>();
  for (const p of products) byStore.set(p.merchant_id, [...(byStore.get(p.merchant_id) ?? []), p]);
  const stores = [...byStore.keys()].sort();
  const sessionFor = async (merchantId: string, title: string, startsAt: Date, live: boolean) => {
    const owner = { id: 'demo', roles: [`merchant:${merchantId}`] };
    const skus = await services.catalog.skusOfProducts(byStore.get(merchantId)!.slice(0, 4).map((p) => p.id));
    const items = [...skus.values()].flatMap((list) => (list as { id: string; price: { amount: number } }[]).slice(0, 1))
      .filter((k) => k.price.amount > 100)
      .map((k) => ({ skuId: k.id, livePrice: { amount: Math.floor((k.price.amount * 85) / 100 / 10) * 10 || k.price.amount - 1 } }));
    const session = await content.createSession(merchantId, owner, { title, scheduledStart: startsAt.toISOString(), items }, false);
    if (live) await content.transitionSession(merchantId, session.id, 'start', owner, false);
  };
  if (stores[0]) await sessionFor(stores[0], '好物直播间｜限时直播价', new Date(), true);
  if (stores[1]) {
    const tomorrow = new Date(Date.now() + 86_400_000);
    tomorrow.setHours(20, 0, 0, 0);
    await sessionFor(stores[1], '明晚 8 点 · 新品首发专场', tomorrow, false);
  }
}
