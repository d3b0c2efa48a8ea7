// Small product picture for cart, checkout and order lines.
import { useEffect, useState } from 'react';
import { loadProductMeta } from './catalog';
import { ProductArt } from './ProductArt';

export function ProductThumb({ productId, title }: { productId: string; title?: string }) {
  const [meta, setMeta] = useState<{ category?: string | null; brand?: string | null } | null>(null);
  useEffect(() => {
    let live = true;
    loadProductMeta(productId).then((m) => { if (live) setMeta(m); }).catch(() => undefined);
    return () => { live = false; };
  }, [productId]);
  return (
    <span className="thumb">
      {meta ? <ProductArt id={productId} category={meta.category} title={title} /> : <span className="thumb-ph" />}
    </span>
  );
}
