import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADDRESS, type Answer, assertProblem, buyAndPay, deliverEvents, newDeviceId, newProduct, newShopper, newStore, type Session, startTestServer, type TestServer, type TestStore, trialBalanceTotal } from '../../testing/harness.ts';


describe('content: notes, livestreams, feed and attribution', () => {
  let server: TestServer;
  let store: TestStore;
  let otherStore: TestStore;
  let lipstick: { productId: string; skuIds: string[] };
  let bag: { productId: string; skuIds: string[] };
  let serum: { productId: string; skuIds: string[] };
  let foreign: { productId: string; skuIds: string[] };
  let author: Session;
  let reader: Session;

  before(async () => {
    server = await startTestServer();
    store = await newStore(server);
    otherStore = await newStore(server);
    lipstick = await newProduct(server, store, [{ price: 19900, stock: 100 }, { price: 29900, stock: 100 }], '丝绒哑光口红', { category: '美妆/彩妆/口红' });
    bag = await newProduct(server, store, [{ price: 59900, stock: 100 }], '通勤托特包', { category: '箱包/女包' });
    serum = await newProduct(server, store, [{ price: 39900, stock: 100 }], '修护精华', { category: '美妆/护肤/精华' });
    foreign = await newProduct(server, otherStore, [{ price: 9900, stock: 100 }], '别家的商品');
    author = (await server.http('POST', '/auth/register', { body: { email: `xiaohong${Date.now()}@test.quanyu`, password: 'password-123', name: '小红' } })).body;
    reader = await newShopper(server.http, 'reader');
  });
  after(() => server.close());

  const http = (...args: Parameters<TestServer['http']>) => server.http(...args);
  const writeNote = (token: string, body: Record<string, unknown>) => http('POST', '/content/notes', { token, body });
  const view = (contentId: string, token: string, at?: string) => http('POST', '/events', { token, body: { events: [{ type: 'content_view', contentId, ...(at ? { at } : {}) }] } });

  test('a shopper writes a note linking products; anyone reads it and the author\'s notes', async () => {
    const created = await writeNote(author.token, {
      title: '秋冬必备口红', body: '显白不拔干，搭配托特包通勤很合适。', images: ['https://img.example.com/a.jpg'], productIds: [lipstick.productId, bag.productId],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.author.kind, 'user');
    assert.equal(created.body.author.id, author.user.id);
    assert.equal(created.body.author.name, '小红');
    assert.deepEqual(created.body.products.map((p: any) => [p.productId, p.price.amount]), [[lipstick.productId, 19900], [bag.productId, 59900]]);
    assert.equal(created.body.likes, 0);

    const read = await http('GET', `/content/notes/${created.body.id}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.title, '秋冬必备口红');
    assert.deepEqual(read.body.images, ['https://img.example.com/a.jpg']);
    const list = await http('GET', `/content/authors/user/${author.user.id}/notes`);
    assert.ok(list.body.items.some((n: any) => n.id === created.body.id));

    // a store's staff writes in the store's name; someone else may not
    const asStore = await writeNote(store.owner.token, { title: '店铺上新', body: '新品到货', productIds: [serum.productId], merchantId: store.id });
    assert.equal(asStore.status, 201);
    assert.deepEqual([asStore.body.author.kind, asStore.body.author.id], ['merchant', store.id]);
    assertProblem(await writeNote(reader.token, { title: '冒名', body: '不是我的店', productIds: [serum.productId], merchantId: store.id }), 403);
    assertProblem(await http('POST', '/content/notes', { body: { title: 't', body: 'b', productIds: [serum.productId] } }), 401);
  });

  test('bad notes are refused naming the field, and nothing is written', async () => {
    const before = (await http('GET', `/content/authors/user/${reader.user.id}/notes`)).body.total;
    const ok = { title: '标题', body: '正文', productIds: [lipstick.productId] };
    assertProblem(await writeNote(reader.token, { ...ok, title: '' }), 400, { field: 'title' });
    assertProblem(await writeNote(reader.token, { ...ok, title: '   ' }), 400, { field: 'title' });
    assertProblem(await writeNote(reader.token, { ...ok, title: '长'.repeat(51) }), 400, { field: 'title' });
    assertProblem(await writeNote(reader.token, { ...ok, body: '字'.repeat(2001) }), 400, { field: 'body' });
    assertProblem(await writeNote(reader.token, { ...ok, productIds: [] }), 400, { field: 'productIds' });
    assertProblem(await writeNote(reader.token, { ...ok, productIds: Array.from({ length: 10 }, (_, i) => `prd_${i}`) }), 400, { field: 'productIds' });
    assertProblem(await writeNote(reader.token, { ...ok, productIds: [lipstick.productId, 'prd_doesnotexist'] }), 400, { field: 'productIds.1' });
    assertProblem(await writeNote(reader.token, { ...ok, productIds: [lipstick.productId, lipstick.productId] }), 400, { field: 'productIds.1' });
    assertProblem(await writeNote(reader.token, { ...ok, images: ['ftp://img.example.com/a.jpg'] }), 400, { field: 'images.0' });
    assertProblem(await writeNote(reader.token, { ...ok, images: ['https://'] }), 400, { field: 'images.0' });
    assertProblem(await writeNote(reader.token, { ...ok, productIds: [42] }), 400, { field: 'productIds.0' });
    assert.equal((await http('GET', `/content/authors/user/${reader.user.id}/notes`)).body.total, before);
  });

  test('likes: one per account, idempotent, and taken back', async () => {
    const note = (await writeNote(author.token, { title: '点赞测试', body: '正文', productIds: [serum.productId] })).body;
    const other = await newShopper(server.http);
    assert.deepEqual((await http('PUT', `/content/notes/${note.id}/like`, { token: reader.token })).body, { liked: true, likes: 1 });
    assert.deepEqual((await http('PUT', `/content/notes/${note.id}/like`, { token: reader.token })).body, { liked: true, likes: 1 });
    assert.deepEqual((await http('PUT', `/content/notes/${note.id}/like`, { token: other.token })).body, { liked: true, likes: 2 });
    assert.equal((await http('GET', `/content/notes/${note.id}`, { token: reader.token })).body.likedByMe, true);
    assert.deepEqual((await http('DELETE', `/content/notes/${note.id}/like`, { token: reader.token })).body, { liked: false, likes: 1 });
    assert.deepEqual((await http('DELETE', `/content/notes/${note.id}/like`, { token: reader.token })).body, { liked: false, likes: 1 });
    assert.equal((await http('GET', `/content/notes/${note.id}`, { token: reader.token })).body.likedByMe, false);
    assertProblem(await http('PUT', '/content/notes/note_nope/like', { token: reader.token }), 404);
    assertProblem(await http('PUT', `/content/notes/${note.id}/like`), 401);
  });

  test('comments: length limits, delete own, not others\', operators remove any (audited)', async () => {
    const note = (await writeNote(author.token, { title: '评论测试', body: '正文', productIds: [serum.productId] })).body;
    const mine = await http('POST', `/content/notes/${note.id}/comments`, { token: reader.token, body: { body: '求链接！' } });
    assert.equal(mine.status, 201);
    assert.equal(mine.body.author.name, 'reader');
    assertProblem(await http('POST', `/content/notes/${note.id}/comments`, { token: reader.token, body: { body: '长'.repeat(301) } }), 400, { field: 'body' });
    assertProblem(await http('POST', `/content/notes/${note.id}/comments`, { token: reader.token, body: { body: ' ' } }), 400, { field: 'body' });
    const theirs = await http('POST', `/content/notes/${note.id}/comments`, { token: author.token, body: { body: '在笔记里点商品就能买' } });
    const spam = await http('POST', `/content/notes/${note.id}/comments`, { token: author.token, body: { body: '加微信领券' } });
    let list = await http('GET', `/content/notes/${note.id}/comments`, { token: reader.token });
    assert.deepEqual(list.body.items.map((c: any) => [c.body, c.mine]), [['求链接！', true], ['在笔记里点商品就能买', false], ['加微信领券', false]]);
    assert.equal((await http('GET', `/content/notes/${note.id}`)).body.comments, 3);

    assertProblem(await http('DELETE', `/content/comments/${theirs.body.id}`, { token: reader.token }), 403);
    assert.equal((await http('DELETE', `/content/comments/${mine.body.id}`, { token: reader.token })).status, 204);
    assertProblem(await http('DELETE', `/content/comments/${mine.body.id}`, { token: reader.token }), 404);
    assert.equal((await http('DELETE', `/content/comments/${spam.body.id}`, { token: server.operator.token })).status, 204);
    list = await http('GET', `/content/notes/${note.id}/comments`);
    assert.deepEqual(list.body.items.map((c: any) => c.body), ['在笔记里点商品就能买']);
    assert.equal((await http('GET', `/content/notes/${note.id}`)).body.comments, 1);
    const audit = (await http('GET', '/admin/audit', { token: server.operator.token })).body.items;
    assert.ok(audit.some((e: any) => e.action === 'content.comment_removed' && e.target === spam.body.id));
  });

  test('moderation: an operator hides a note with a reason (audited); it leaves the public, the author sees why', async () => {
    const note = (await writeNote(author.token, { title: '违规笔记', body: '虚假宣传', productIds: [serum.productId] })).body;
    assertProblem(await http('POST', `/admin/content/notes/${note.id}/hide`, { token: reader.token, body: { reason: '我不喜欢' } }), 403);
    assertProblem(await http('POST', `/admin/content/notes/${note.id}/hide`, { token: server.operator.token, body: { reason: '' } }), 400, { field: 'reason' });
    const hidden = await http('POST', `/admin/content/notes/${note.id}/hide`, { token: server.operator.token, body: { reason: '夸大功效' } });
    assert.equal(hidden.status, 200);
    assert.equal(hidden.body.status, 'hidden');

    assertProblem(await http('GET', `/content/notes/${note.id}`), 404);
    assertProblem(await http('GET', `/content/notes/${note.id}`, { token: reader.token }), 404);
    const own = await http('GET', `/content/notes/${note.id}`, { token: author.token });
    assert.deepEqual([own.body.status, own.body.hiddenReason], ['hidden', '夸大功效']);
    assertProblem(await http('PUT', `/content/notes/${note.id}/like`, { token: author.token }), 409);
    assertProblem(await http('POST', `/content/notes/${note.id}/comments`, { token: author.token, body: { body: '为什么' } }), 409);
    assert.ok(!(await http('GET', `/content/authors/user/${author.user.id}/notes`)).body.items.some((n: any) => n.id === note.id));
    assert.ok((await http('GET', '/me/notes', { token: author.token })).body.items.some((n: any) => n.id === note.id && n.hiddenReason === '夸大功效'));
    assert.ok((await http('GET', '/admin/content/notes?status=hidden', { token: server.operator.token })).body.items.some((n: any) => n.id === note.id));
    assert.ok(!(await http('GET', '/content/feed?limit=50')).body.items.some((i: any) => i.id === note.id));

    const audit = (await http('GET', '/admin/audit', { token: server.operator.token })).body.items;
    assert.ok(audit.some((e: any) => e.action === 'content.note_hidden' && e.target === note.id && e.details.reason === '夸大功效'));
    const restored = await http('POST', `/admin/content/notes/${note.id}/restore`, { token: server.operator.token });
    assert.equal(restored.body.status, 'visible');
    assert.equal((await http('GET', `/content/notes/${note.id}`)).status, 200);
    assertProblem(await http('POST', `/admin/content/notes/${note.id}/restore`, { token: server.operator.token }), 409);
  });

  const base = (s: TestStore) => `/merchants/${s.id}/live-sessions`;
  const soon = () => new Date(Date.now() + 3_600_000).toISOString();

  test('livestreams: scheduled -> live -> ended, cancel before start, and nothing else', async () => {
    const created = await http('POST', base(store), { token: store.owner.token, body: { title: '双十一直播专场', scheduledStart: soon(), coverUrl: 'https://img.example.com/live.jpg' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.status, 'scheduled');
    const id = created.body.id;
    assertProblem(await http('POST', `${base(store)}/${id}/end`, { token: store.owner.token }), 409);
    assertProblem(await http('POST', `${base(otherStore)}/${id}/start`, { token: otherStore.owner.token }), 404);
    assertProblem(await http('POST', `${base(store)}/${id}/start`, { token: otherStore.owner.token }), 403);
    assert.equal((await http('POST', `${base(store)}/${id}/start`, { token: store.owner.token })).body.status, 'live');
    assertProblem(await http('POST', `${base(store)}/${id}/start`, { token: store.owner.token }), 409);
    assertProblem(await http('POST', `${base(store)}/${id}/cancel`, { token: store.owner.token }), 409);
    const ended = await http('POST', `${base(store)}/${id}/end`, { token: store.owner.token });
    assert.equal(ended.body.status, 'ended');
    assert.ok(ended.body.startedAt && ended.body.endedAt);
    const again = await http('POST', `${base(store)}/${id}/start`, { token: store.owner.token });
    assertProblem(again, 409);
    assert.equal(again.body.code, 'invalid_state');
    assertProblem(await http('PUT', `${base(store)}/${id}/products`, { token: store.owner.token, body: { items: [{ skuId: bag.skuIds[0], livePrice: { amount: 100, currency: 'CNY' } }] } }), 409);

    const other = (await http('POST', base(store), { token: store.owner.token, body: { title: '取消的直播', scheduledStart: soon() } })).body;
    assert.equal((await http('POST', `${base(store)}/${other.id}/cancel`, { token: store.owner.token })).body.status, 'cancelled');
    assertProblem(await http('POST', `${base(store)}/${other.id}/start`, { token: store.owner.token }), 409);

    assertProblem(await http('POST', base(store), { token: store.owner.token, body: { title: '', scheduledStart: soon() } }), 400, { field: 'title' });
    assertProblem(await http('POST', base(store), { token: store.owner.token, body: { title: '无时间', scheduledStart: 'tomorrow' } }), 400, { field: 'scheduledStart' });
    assertProblem(await http('POST', base(store), { token: store.owner.token, body: { title: '坏封面', scheduledStart: soon(), coverUrl: 'javascript:alert(1)' } }), 400, { field: 'coverUrl' });
    assertProblem(await http('POST', base(store), { token: reader.token, body: { title: '别人的店', scheduledStart: soon() } }), 403);
  });

  test('live prices: below the list price, integer fen, the store\'s own SKUs only', async () => {
    const session = (await http('POST', base(store), { token: store.owner.token, body: { title: '价格规则', scheduledStart: soon() } })).body;
    const put = (items: unknown[]) => http('PUT', `${base(store)}/${session.id}/products`, { token: store.owner.token, body: { items } });
    const price = (amount: unknown) => ({ amount, currency: 'CNY' });
    assertProblem(await put([{ skuId: lipstick.skuIds[0], livePrice: price(19900) }]), 400, { field: 'items.0.livePrice.amount' });
    assertProblem(await put([{ skuId: lipstick.skuIds[0], livePrice: price(20000) }]), 400, { field: 'items.0.livePrice.amount' });
    assertProblem(await put([{ skuId: lipstick.skuIds[0], livePrice: price(99.5) }]), 400, { field: 'items.0.livePrice.amount' });
    assertProblem(await put([{ skuId: lipstick.skuIds[0], livePrice: price(0) }]), 400, { field: 'items.0.livePrice.amount' });
    assertProblem(await put([{ skuId: lipstick.skuIds[0], livePrice: price(15900) }, { skuId: foreign.skuIds[0], livePrice: price(100) }]), 400, { field: 'items.1.skuId' });
    assertProblem(await put([{ skuId: 'sku_nope', livePrice: price(100) }]), 400, { field: 'items.0.skuId' });
    assertProblem(await put([{ skuId: lipstick.skuIds[0], livePrice: price(100) }, { skuId: lipstick.skuIds[0], livePrice: price(200) }]), 400, { field: 'items.1.skuId' });
    assert.equal((await http('GET', `/content/live/${session.id}`)).body.products.length, 0);
    const ok = await put([{ skuId: lipstick.skuIds[0], livePrice: price(15900) }, { skuId: lipstick.skuIds[1], livePrice: price(25900) }]);
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body.products[0].skus.map((s: any) => [s.price.amount, s.livePrice.amount]), [[19900, 15900], [29900, 25900]]);
    assert.equal(ok.body.products[0].livePrice, undefined, 'no live price before the session is live');
    // liveNowFor, the recommendation module's entry point, knows only sessions live now
    const { content } = server.app.context.services;
    assert.equal((await content.liveNowFor([lipstick.productId])).has(lipstick.productId), false);
    await http('POST', `${base(store)}/${session.id}/start`, { token: store.owner.token });
    assert.deepEqual((await content.liveNowFor([lipstick.productId, bag.productId])).get(lipstick.productId), { sessionId: session.id, livePrice: 15900 });
    assert.equal((await content.liveNowFor([bag.productId])).size, 0);
    const badge = await http('GET', `/content/live-now?productIds=${lipstick.productId},${bag.productId}`);
    assert.deepEqual(badge.body.items, [{ productId: lipstick.productId, liveSessionId: session.id, livePrice: { amount: 15900, currency: 'CNY' } }]);
    assertProblem(await http('GET', `/content/live-now?productIds=${Array.from({ length: 101 }, (_, i) => `p${i}`).join(',')}`), 400, { field: 'productIds' });
    await http('POST', `${base(store)}/${session.id}/end`, { token: store.owner.token });
    assert.equal((await content.liveNowFor([lipstick.productId])).size, 0);
  });

  test('buying in the live room: the live price reaches cart, quote, order and ledger, only while live', async () => {
    const buyer = await newShopper(server.http);
    const session = (await http('POST', base(store), {
      token: store.owner.token,
      body: { title: '精华直播', scheduledStart: soon(), items: [{ skuId: serum.skuIds[0], livePrice: { amount: 29900, currency: 'CNY' } }] },
    })).body;
    assert.equal(session.products[0].skus[0].livePrice.amount, 29900);
    // not live yet: the room cannot sell at its price
    assertProblem(await http('PUT', '/cart/items', { token: buyer.token, body: { skuId: serum.skuIds[0], quantity: 1, liveSessionId: session.id } }), 409, { field: 'liveSessionId' });
    await http('POST', `${base(store)}/${session.id}/start`, { token: store.owner.token });
    assertProblem(await http('PUT', '/cart/items', { token: buyer.token, body: { skuId: bag.skuIds[0], quantity: 1, liveSessionId: session.id } }), 400, { field: 'liveSessionId' });

    const cart = await http('PUT', '/cart/items', { token: buyer.token, body: { skuId: serum.skuIds[0], quantity: 2, liveSessionId: session.id } });
    assert.equal(cart.status, 200);
    assert.deepEqual([cart.body.items[0].unitPrice.amount, cart.body.items[0].listPrice.amount, cart.body.items[0].liveSessionId], [29900, 39900, session.id]);
    assert.equal(cart.body.total.amount, 59800);
    const quote = await http('POST', '/checkout/quote', { token: buyer.token, body: {} });
    assert.deepEqual([quote.body.lines[0].unitPrice.amount, quote.body.lines[0].liveSessionId, quote.body.payable.amount], [29900, session.id, 59800]);
    // the feed badge and the room show the live price
    const feed = await http('GET', '/content/feed?limit=5');
    const item = feed.body.items.find((i: any) => i.id === session.id);
    assert.equal(item.products[0].livePrice.amount, 29900);

    const order = await http('POST', '/orders', { token: buyer.token, body: { address: ADDRESS }, headers: { 'idempotency-key': `live-${session.id}` } });
    assert.equal(order.status, 201, JSON.stringify(order.body));
    assert.equal(order.body.payable.amount, 59800);
    const line = order.body.orders[0].lines[0];
    assert.equal(line.unitPrice.amount, 29900);
    const payment = await http('POST', '/payments', { token: buyer.token, body: { orderGroupId: order.body.orderGroupId, provider: 'sandbox' }, headers: { 'idempotency-key': `pay-${session.id}` } });
    assert.equal(payment.body.amount.amount, 59800);
    assert.equal((await http('POST', `/payments/${payment.body.id}/sandbox/pay`, { token: buyer.token })).body.status, 'succeeded');
    assert.equal(await trialBalanceTotal(server), 0);
    // a refund returns exactly what was paid at the live price
    const cancelled = await http('POST', `/orders/${order.body.orders[0].id}/cancel`, { token: buyer.token });
    assert.equal(cancelled.body.status, 'cancelled');
    assert.equal(await trialBalanceTotal(server), 0);

    // the explicit-items path, and after the session ends the list price applies again
    const explicit = await http('POST', '/checkout/quote', { token: buyer.token, body: { items: [{ skuId: serum.skuIds[0], quantity: 1, liveSessionId: session.id }] } });
    assert.equal(explicit.body.payable.amount, 29900);
    assertProblem(await http('POST', '/checkout/quote', { token: buyer.token, body: { items: [{ skuId: bag.skuIds[0], quantity: 1, liveSessionId: session.id }] } }), 400, { field: 'items.0.liveSessionId' });
    await http('PUT', '/cart/items', { token: buyer.token, body: { skuId: serum.skuIds[0], quantity: 1, liveSessionId: session.id } });
    await http('POST', `${base(store)}/${session.id}/end`, { token: store.owner.token });
    const after = await http('POST', '/checkout/quote', { token: buyer.token, body: { items: [{ skuId: serum.skuIds[0], quantity: 1, liveSessionId: session.id }] } });
    assert.deepEqual([after.body.payable.amount, after.body.lines[0].liveSessionId], [39900, undefined]);
    const cartAfter = await http('GET', '/cart', { token: buyer.token });
    assert.equal(cartAfter.body.items[0].unitPrice.amount, 39900);
  });

  test('the content feed: live sessions first, then recent visible notes, paged by cursor', async () => {
    const live = (await http('POST', base(otherStore), {
      token: otherStore.owner.token, body: { title: '别家直播', scheduledStart: soon(), items: [{ skuId: foreign.skuIds[0], livePrice: { amount: 5900, currency: 'CNY' } }] },
    })).body;
    await http('POST', `${base(otherStore)}/${live.id}/start`, { token: otherStore.owner.token });
    const notes = [];
    for (let i = 0; i < 3; i++) notes.push((await writeNote(reader.token, { title: `分页笔记 ${i}`, body: '正文', productIds: [foreign.productId] })).body);

    const first = await http('GET', '/content/feed?limit=2');
    assert.equal(first.status, 200);
    const kinds = first.body.items.map((i: any) => i.kind);
    assert.equal(kinds[0], 'live');
    assert.ok(kinds.indexOf('note') > kinds.lastIndexOf('live'), 'live items come before notes');
    const firstNotes = first.body.items.filter((i: any) => i.kind === 'note');
    assert.deepEqual(firstNotes.map((n: any) => n.id), [notes[2].id, notes[1].id]);
    // a note's product on sale in a live session now carries the live badge data
    assert.deepEqual([firstNotes[0].products[0].livePrice.amount, firstNotes[0].products[0].liveSessionId], [5900, live.id]);
    assert.ok(first.body.nextCursor);
    const second = await http('GET', `/content/feed?limit=2&cursor=${first.body.nextCursor}`);
    assert.ok(second.body.items.every((i: any) => i.kind === 'note'));
    assert.equal(second.body.items[0].id, notes[0].id);
    assertProblem(await http('GET', '/content/feed?cursor=note_nope'), 400, { field: 'cursor' });
    assertProblem(await http('GET', '/content/feed?limit=0'), 400);
    await http('POST', `${base(otherStore)}/${live.id}/end`, { token: otherStore.owner.token });
  });

  test('content views are checked: an unknown note id is rejected, other platforms\' content ids pass', async () => {
    const note = (await writeNote(author.token, { title: '浏览', body: '正文', productIds: [serum.productId] })).body;
    const sent = await http('POST', '/events', { headers: { 'x-device-id': newDeviceId() }, body: { events: [{ type: 'content_view', contentId: note.id }, { type: 'content_view', contentId: 'note_doesnotexist' }, { type: 'content_view', contentId: 'douyin-video-42' }] } });
    assert.equal(sent.status, 202);
    assert.equal(sent.body.accepted, 2);
    assert.deepEqual(sent.body.rejected.map((r: any) => [r.index, r.field]), [[1, 'contentId']]);
  });

  describe('attribution', () => {
    let note: any;
    before(async () => {
      note = (await writeNote(author.token, { title: '种草托特包', body: '容量大', productIds: [bag.productId] })).body;
    });

    test('view a note -> buy its product -> the order counts for the note and its author', async () => {
      const buyer = await newShopper(server.http);
      assert.equal((await view(note.id, buyer.token)).body.accepted, 1);
      const { group } = await buyAndPay(server.http, buyer, [{ skuId: bag.skuIds[0], quantity: 1 }, { skuId: lipstick.skuIds[0], quantity: 1 }]);
      await deliverEvents(server);
      const mine = await http('GET', '/me/notes', { token: author.token });
      const row = mine.body.items.find((n: any) => n.id === note.id);
      assert.deepEqual([row.attributedOrders, row.attributedGmv.amount], [1, 59900], 'only the linked product\'s amount counts');
      assert.equal(mine.body.attributedOrders, 1);
      assert.equal(mine.body.attributedGmv.amount, 59900);
      const orders = await http('GET', '/me/content/attributions', { token: author.token });
      assert.deepEqual(orders.body.items.map((o: any) => [o.orderId, o.contentId, o.productIds, o.amount.amount]), [[group.orders[0].id, note.id, [bag.productId], 59900]]);
      await deliverEvents(server); // a replay counts nothing twice
      assert.equal((await http('GET', '/me/notes', { token: author.token })).body.attributedOrders, 1);
    });

    test('a view on the device before signing in counts too', async () => {
      const device = newDeviceId();
      await http('POST', '/events', { headers: { 'x-device-id': device }, body: { events: [{ type: 'content_view', contentId: note.id }] } });
      const buyer = await newShopper(server.http);
      const login = await http('POST', '/auth/login', { body: { email: buyer.user.email, password: 'password-123' }, headers: { 'x-device-id': device } });
      await buyAndPay(server.http, login.body, [{ skuId: bag.skuIds[0], quantity: 2 }]);
      await deliverEvents(server);
      const row = (await http('GET', '/me/notes', { token: author.token })).body.items.find((n: any) => n.id === note.id);
      assert.deepEqual([row.attributedOrders, row.attributedGmv.amount], [2, 59900 * 3]);
    });

    test('no view, or a view of content not linking the product, or one older than 7 days: no attribution', async () => {
      const before = (await http('GET', '/me/notes', { token: author.token })).body;
      const stranger = await newShopper(server.http);
      await buyAndPay(server.http, stranger, [{ skuId: bag.skuIds[0], quantity: 1 }]);
      const unrelated = await newShopper(server.http);
      await view(note.id, unrelated.token);
      await buyAndPay(server.http, unrelated, [{ skuId: serum.skuIds[0], quantity: 1 }]);
      const old = await newShopper(server.http);
      const { tracking, db } = { tracking: server.app.context.services.tracking, db: server.app.context.db };
      await tracking.insert(db, [{ at: new Date(Date.now() - 8 * 86_400_000), subject: `account:${old.user.id}`, type: 'content_view', source: 'web', contentId: note.id }]);
      await buyAndPay(server.http, old, [{ skuId: bag.skuIds[0], quantity: 1 }]);
      await deliverEvents(server);
      const afterAll = (await http('GET', '/me/notes', { token: author.token })).body;
      assert.equal(afterAll.attributedOrders, before.attributedOrders);
      assert.equal(afterAll.attributedGmv.amount, before.attributedGmv.amount);
    });

    test('a live room view -> buy at the live price -> the store sees the session\'s orders and GMV; a cancelled order stops counting', async () => {
      const session = (await http('POST', base(store), {
        token: store.owner.token, body: { title: '包包直播', scheduledStart: soon(), items: [{ skuId: bag.skuIds[0], livePrice: { amount: 49900, currency: 'CNY' } }] },
      })).body;
      await http('POST', `${base(store)}/${session.id}/start`, { token: store.owner.token });
      const buyer = await newShopper(server.http);
      await view(note.id, buyer.token);
      await view(session.id, buyer.token); // the last content viewed wins
      const { group } = await buyAndPay(server.http, buyer, [{ skuId: bag.skuIds[0], quantity: 1, liveSessionId: session.id } as any]);
      assert.equal(group.payable.amount, 49900);
      await deliverEvents(server);
      let list = await http('GET', base(store), { token: store.owner.token });
      let row = list.body.items.find((s: any) => s.id === session.id);
      assert.deepEqual([row.attributedOrders, row.attributedGmv.amount], [1, 49900]);
      assert.equal(list.body.attributedGmv.amount, 49900);
      assertProblem(await http('GET', base(store), { token: otherStore.owner.token }), 403);

      await http('POST', `/orders/${group.orders[0].id}/cancel`, { token: buyer.token });
      await deliverEvents(server);
      list = await http('GET', base(store), { token: store.owner.token });
      row = list.body.items.find((s: any) => s.id === session.id);
      assert.deepEqual([row.attributedOrders, row.attributedGmv.amount], [0, 0]);
      await http('POST', `${base(store)}/${session.id}/end`, { token: store.owner.token });
    });
  });

  test('views and viewers: the author and the store see them per note and live session, a live room shows its viewers, an erased viewer stops counting', async () => {
    const writer = await newShopper(server.http, 'counted');
    const [note, other] = await Promise.all(['看过的笔记', '没人看的笔记'].map(async (title) => (await writeNote(writer.token, { title, body: '正文', productIds: [serum.productId] })).body));
    const fan = await newShopper(server.http, 'fan');
    const device = newDeviceId();
    await view(note.id, fan.token);
    await view(note.id, fan.token);
    await http('POST', '/events', { headers: { 'x-device-id': device }, body: { events: [{ type: 'content_view', contentId: note.id }] } });

    const mine = (await http('GET', '/me/notes', { token: writer.token })).body;
    const row = (id: string) => mine.items.find((n: any) => n.id === id);
    assert.deepEqual([row(note.id).views, row(note.id).viewers], [3, 2]);
    assert.deepEqual([row(other.id).views, row(other.id).viewers], [0, 0]);
    assert.equal(mine.views, 3, 'over all the author\'s notes');
    const read = (await http('GET', `/content/notes/${note.id}`)).body;
    assert.equal(read.views, undefined, 'a note\'s reader does not see its figures');

    const session = (await http('POST', base(otherStore), { token: otherStore.owner.token, body: { title: '观看人数', scheduledStart: soon() } })).body;
    await view(session.id, fan.token);
    await view(session.id, reader.token);
    await view(session.id, reader.token);
    assert.equal((await http('GET', `/content/live/${session.id}`)).body.viewers, 2, 'everyone sees how many watched');
    const sessions = (await http('GET', base(otherStore), { token: otherStore.owner.token })).body;
    const s = sessions.items.find((x: any) => x.id === session.id);
    assert.deepEqual([s.views, s.viewers], [3, 2]);
    assert.ok(sessions.views >= 3);

    assert.equal((await http('POST', '/me/erasure', { token: fan.token, body: { password: 'password-123' } })).status, 200);
    const after = (await http('GET', '/me/notes', { token: writer.token })).body.items.find((n: any) => n.id === note.id);
    assert.deepEqual([after.views, after.viewers], [1, 1]);
    assert.equal((await http('GET', `/content/live/${session.id}`)).body.viewers, 1);
    await http('POST', `${base(otherStore)}/${session.id}/cancel`, { token: otherStore.owner.token });
  });

  test('an operator certifies a creator (达人): their notes carry the title; withdrawing it takes it away', async () => {
    const creator = await newShopper(server.http, 'beauty-creator');
    const note = (await writeNote(creator.token, { title: '达人试色', body: '三支口红的真实试色', productIds: [lipstick.productId] })).body;
    assert.equal(note.author.creator, undefined);
    const admin = (method: string, path: string, body?: unknown, token = server.operator.token) => http(method, path, { token, body });
    assertProblem(await admin('PUT', `/admin/content/creators/${creator.user.id}`, { title: '美妆达人' }, reader.token), 403);
    assertProblem(await admin('PUT', '/admin/content/creators/usr_nope', { title: '美妆达人' }), 404);
    assertProblem(await admin('PUT', `/admin/content/creators/${creator.user.id}`, { title: '   ' }), 400, { field: 'title' });
    const certified = await admin('PUT', `/admin/content/creators/${creator.user.id}`, { title: '美妆达人' });
    assert.equal(certified.status, 200, JSON.stringify(certified.body));
    assert.deepEqual([certified.body.userId, certified.body.title, certified.body.notes], [creator.user.id, '美妆达人', 1]);

    assert.deepEqual((await http('GET', `/content/notes/${note.id}`)).body.author.creator, { title: '美妆达人' });
    const feed = (await http('GET', '/content/feed?limit=50')).body.items;
    assert.deepEqual(feed.find((i: any) => i.id === note.id)?.author.creator, { title: '美妆达人' });
    assert.equal((await admin('PUT', `/admin/content/creators/${creator.user.id}`, { title: '彩妆达人' })).body.title, '彩妆达人', 'again changes the title');
    const list = (await admin('GET', '/admin/content/creators')).body;
    assert.deepEqual(list.items.filter((c: any) => c.userId === creator.user.id).map((c: any) => c.title), ['彩妆达人']);

    assert.equal((await admin('DELETE', `/admin/content/creators/${creator.user.id}`)).status, 204);
    assert.equal((await http('GET', `/content/notes/${note.id}`)).body.author.creator, undefined);
    assertProblem(await admin('DELETE', `/admin/content/creators/${creator.user.id}`), 404);
    const audit = await server.app.context.db.query(`SELECT action FROM audit_log WHERE target = $1 ORDER BY id`, [`user:${creator.user.id}`]);
    assert.deepEqual(audit.map((a: any) => a.action), ['content.creator_certified', 'content.creator_certified', 'content.creator_revoked']);
  });

  test('a shopper\'s data export holds their notes, comments and likes; erasure removes them', async () => {
    const writer = await newShopper(server.http, 'eraser');
    const note = (await writeNote(writer.token, { title: '将被删除', body: '正文', productIds: [serum.productId] })).body;
    const others = (await writeNote(author.token, { title: '别人的笔记', body: '正文', productIds: [serum.productId] })).body;
    await http('PUT', `/content/notes/${others.id}/like`, { token: writer.token });
    await http('POST', `/content/notes/${others.id}/comments`, { token: writer.token, body: { body: '我的评论' } });
    const exported = await http('GET', '/me/data-export', { token: writer.token });
    assert.deepEqual(exported.body.content.notes.map((n: any) => n.id), [note.id]);
    assert.deepEqual(exported.body.content.comments.map((c: any) => c.body), ['我的评论']);
    assert.deepEqual(exported.body.content.likes.map((l: any) => l.noteId), [others.id]);

    assert.equal((await http('POST', '/me/erasure', { token: writer.token, body: { password: 'password-123' } })).status, 200);
    assertProblem(await http('GET', `/content/notes/${note.id}`), 404);
    const after = await http('GET', `/content/notes/${others.id}`);
    assert.deepEqual([after.body.likes, after.body.comments], [0, 0]);
    assert.equal((await http('GET', `/content/notes/${others.id}/comments`)).body.total, 0);
  });

  test('the routes are in the OpenAPI document', async () => {
    const doc = await (await fetch(`${server.url}/api/openapi.json`)).json();
    for (const path of ['/api/v1/content/feed', '/api/v1/content/notes', '/api/v1/content/notes/{noteId}/like', '/api/v1/merchants/{merchantId}/live-sessions', '/api/v1/content/live/{sessionId}', '/api/v1/admin/content/notes/{noteId}/hide'])
      assert.ok(doc.paths[path], path);
    assert.ok(doc.paths['/api/v1/cart/items'].put.requestBody.content['application/json'].schema.properties.liveSessionId);
  });
});
