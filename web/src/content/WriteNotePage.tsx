// 写笔记: title, text, image URLs and 1 to 9 products found by search (POST /content/notes).
import { useEffect, useState } from 'react';
import { api, ApiError, qs } from '../shared/api';
import { ProductThumb } from '../shared/ProductThumb';
import { navigate, useQuery } from '../shared/router';
import type { SearchAnswer } from '../shared/search';
import type { Product } from '../shared/types';
import { ErrorBox, Field, Price } from '../shared/ui';
import { useAction } from '../shared/useAsync';
import { useI18n } from '../i18n';
import { LIMITS, type Note } from './types';

interface Picked { productId: string; title: string; price: { amount: number; currency: string } }

export function WriteNotePage() {
  const { t } = useI18n();
  const q = useQuery();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [images, setImages] = useState('');
  const [picked, setPicked] = useState<Picked[]>([]);
  const [find, setFind] = useState('');
  const [found, setFound] = useState<Picked[]>([]);
  const submit = useAction();

  // ?product= preselects the product the shopper came from
  const preset = q.get('product');
  useEffect(() => {
    if (!preset) return;
    api.get<Product>(`/products/${encodeURIComponent(preset)}`).then((p) => setPicked((old) => (old.some((x) => x.productId === p.id) ? old : [...old, { productId: p.id, title: p.title, price: p.price }]))).catch(() => undefined);
  }, [preset]);

  useEffect(() => {
    if (!find.trim()) { setFound([]); return; }
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      api.get<SearchAnswer>(`/search${qs({ q: find.trim(), pageSize: 8 })}`, { signal: ctrl.signal })
        .then((r) => setFound(r.items.map((i) => ({ productId: i.productId, title: i.title, price: i.price })))).catch(() => undefined);
    }, 250);
    return () => { clearTimeout(timer); ctrl.abort(); };
  }, [find]);

  const imageList = images.split('\n').map((s) => s.trim()).filter(Boolean);
  const err = submit.error instanceof ApiError ? submit.error : undefined;
  const fieldMsg = (f: string) => err?.problem.errors?.find((e) => e.field === f || e.field.startsWith(`${f}.`))?.message;
  const send = () => submit.run(true, async () => {
    const note = await api.post<Note>('/content/notes', { title, body, images: imageList.length ? imageList : undefined, productIds: picked.map((p) => p.productId) });
    navigate(`/content/notes/${note.id}`);
  });
  const full = picked.length >= LIMITS.products;
  return (
    <div className="container write-note" data-testid="write-note-page">
      <h2 className="page-title">{t('writeNote')}</h2>
      <div className="card panel write-note-form">
        <Field label={t('noteTitle')} error={fieldMsg('title')} hint={`${[...title].length} / ${LIMITS.title}`}>
          <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={LIMITS.title} placeholder={t('noteTitlePlaceholder')} data-testid="note-title-input" />
        </Field>
        <Field label={t('noteBody')} error={fieldMsg('body')} hint={`${[...body].length} / ${LIMITS.body}`}>
          <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={6} maxLength={LIMITS.body} placeholder={t('noteBodyPlaceholder')} data-testid="note-body-input" />
        </Field>
        <Field label={t('noteImages')} error={fieldMsg('images')} hint={t('noteImagesHint')}>
          <textarea value={images} onChange={(e) => setImages(e.target.value)} rows={2} placeholder="https://…" data-testid="note-images-input" />
        </Field>
        <div className="field">
          <span className="field-label">{t('noteProducts', { n: picked.length, max: LIMITS.products })}</span>
          <div className="picked-products">
            {picked.map((p) => (
              <span key={p.productId} className="picked" data-testid="picked-product">
                <ProductThumb productId={p.productId} title={p.title} /><span className="ellipsis">{p.title}</span>
                <button className="link-btn" onClick={() => setPicked(picked.filter((x) => x.productId !== p.productId))} aria-label={t('delete')}>×</button>
              </span>
            ))}
          </div>
          <input value={find} onChange={(e) => setFind(e.target.value)} placeholder={t('findProduct')} disabled={full} data-testid="note-product-search" />
          {fieldMsg('productIds') && <div className="field-error">{fieldMsg('productIds')}</div>}
          {found.length > 0 && !full && (
            <div className="product-suggest">
              {found.filter((f) => !picked.some((p) => p.productId === f.productId)).map((f) => (
                <button key={f.productId} className="product-suggest-row" onClick={() => { setPicked([...picked, f]); setFind(''); }} data-testid="product-suggestion">
                  <ProductThumb productId={f.productId} title={f.title} /><span className="ellipsis">{f.title}</span><Price value={f.price} size="sm" />
                </button>
              ))}
            </div>
          )}
        </div>
        <ErrorBox error={submit.error} omitFields={['title', 'body']} />
        <button className="btn btn-primary btn-big" disabled={!!submit.busy || !title.trim() || !body.trim() || picked.length === 0} onClick={send} data-testid="publish-note">{t('publishNote')}</button>
      </div>
    </div>
  );
}
