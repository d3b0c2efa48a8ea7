// Presale for shoppers: the deposit offer on the product page, and 我的预售 with the balance to pay.
import { formatMoney } from '../shared/money';
import { api } from '../shared/api';
import { Link, navigate } from '../shared/router';
import { Empty, ErrorBox, formatTime, Loading, Price } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import { useI18n } from '../i18n';
import type { Presale, PresalePurchase } from '../merchant/PresaleTab';

/** "付定金": a presale open for deposits on this product. */
export function PresaleBanner({ productId, skuId, onDeposit }: { productId: string; skuId?: string; onDeposit: (skuId: string) => void }) {
  const { t } = useI18n();
  const res = useAsync((signal) => api.get<{ items: Presale[] }>(`/products/${encodeURIComponent(productId)}/presales`, { signal }), [productId]);
  const presale = res.data?.items.find((p) => !skuId || p.skuId === skuId) ?? res.data?.items[0];
  if (!presale) return null;
  const total = presale.unitPrice.amount - presale.unitDepositValue.amount;
  return (
    <div className="pdp-presale" data-testid="product-presale">
      <span className="presale-tag">{t('presaleTag')}</span>
      <span>{t('presaleOffer', { pay: formatMoney(presale.unitDeposit), off: formatMoney(presale.unitDepositValue) })}</span>
      <span>{t('presaleFinal')} <Price value={total} /></span>
      <span className="muted small">{t('presaleBalanceFrom', { from: formatTime(presale.balanceStartsAt) })}</span>
      <button className="btn btn-buy btn-sm" onClick={() => onDeposit(presale.skuId)} data-testid="pay-deposit">{t('payDeposit')}</button>
    </div>
  );
}

export function MyPresalesPage() {
  const { t } = useI18n();
  const res = useAsync((signal) => api.get<{ items: PresalePurchase[] }>('/me/presales', { signal }), []);
  const now = new Date();
  if (res.error) return <div className="container"><ErrorBox error={res.error} onRetry={res.reload} /></div>;
  if (!res.data) return <Loading />;
  return (
    <div className="container">
      <h2 className="page-title">{t('myPresales')}</h2>
      {res.data.items.length === 0 ? <div className="card"><Empty>{t('noPresalePurchases')}</Empty></div> : res.data.items.map((p) => {
        const open = p.state === 'deposit_paid' && new Date(p.balanceStartsAt) <= now && now < new Date(p.balanceEndsAt);
        return (
          <div key={p.id} className="card panel presale-purchase" data-testid="presale-purchase" data-state={p.state}>
            <span className={`presale-state presale-state-${p.state}`}>{t(`presaleState_${p.state}` as never)}</span>
            <Link to={`/product/${p.productId}`}>{p.title || t('presaleTag')} × {p.quantity}</Link>
            <span>{t('presaleDeposit')} <Price value={p.deposit} size="sm" /></span>
            <span>{t('presaleBalance')} <Price value={p.balance} size="sm" /></span>
            <span className="muted small">{t('presaleBalanceWindow')} {formatTime(p.balanceStartsAt)} – {formatTime(p.balanceEndsAt)}</span>
            <Link to={`/orders/${p.depositOrderId}`} className="link-btn">{t('orderDetail')}</Link>
            {open && (
              <button className="btn btn-buy btn-sm" data-testid="pay-balance"
                onClick={() => navigate(`/checkout?sku=${encodeURIComponent(p.skuId)}&qty=${p.quantity}&presale=${encodeURIComponent(p.id)}&product=${encodeURIComponent(p.productId)}`)}>
                {t('payBalance')}
              </button>
            )}
          </div>
        );
      })}
    </div>
  );
}
