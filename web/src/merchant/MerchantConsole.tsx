// /merchant: store picker, side nav, and the chosen tab.
import { useEffect, useState } from 'react';
import { api, qs } from '../shared/api';
import { isOperator, merchantIds, useAuth } from '../shared/auth';
import { ConsoleLayout } from '../shared/ConsoleLayout';
import { loadMerchant } from '../shared/catalog';
import { navigate, useQuery } from '../shared/router';
import { Empty, SelfBadge } from '../shared/ui';
import type { AdminMerchant, MerchantKind } from '../shared/types';
import { Overview } from './Overview';
import { ProductsTab } from './ProductsTab';
import { NewProductForm } from './NewProductForm';
import { OrdersTab } from './OrdersTab';
import { LiveTab } from './LiveTab';
import { MerchantCouponsTab } from '../promotions/MerchantCouponsTab';
import { PresaleTab } from './PresaleTab';
import { MerchantFlashSalesTab } from '../campaigns/MerchantFlashSalesTab';
import { MerchantCampaignsTab } from '../campaigns/MerchantCampaignsTab';
import { useI18n } from '../i18n';

interface Store { id: string; name: string; kind?: MerchantKind }

function useStores(): Store[] | null {
  const { user } = useAuth();
  const [stores, setStores] = useState<Store[] | null>(null);
  const ids = merchantIds(user).join(',');
  const operator = isOperator(user);
  useEffect(() => {
    let live = true;
    const own = ids ? ids.split(',') : [];
    Promise.all(own.map((id) => loadMerchant(id).catch(() => ({ id, name: id, kind: undefined }))))
      .then(async (mine) => {
        let all: Store[] = mine;
        if (operator) {
          const r = await api.get<{ items: AdminMerchant[] }>(`/admin/merchants${qs({ pageSize: 100 })}`).catch(() => ({ items: [] }));
          all = [...mine, ...r.items.filter((m) => !own.includes(m.id))];
        }
        if (live) setStores(all);
      });
    return () => { live = false; };
  }, [ids, operator]);
  return stores;
}

export function MerchantConsole({ tab }: { tab: string }) {
  const { t } = useI18n();
  const q = useQuery();
  const stores = useStores();
  const mid = q.get('m') ?? stores?.[0]?.id ?? '';
  const store = stores?.find((s) => s.id === mid);
  const withM = (path: string) => `${path}?m=${encodeURIComponent(mid)}`;
  const nav = [
    { key: 'overview', label: t('tabOverview'), href: withM('/merchant') },
    { key: 'products', label: t('tabProducts'), href: withM('/merchant/products') },
    { key: 'new', label: t('tabNewProduct'), href: withM('/merchant/new') },
    { key: 'ship', label: t('tabToShip'), href: withM('/merchant/ship') },
    { key: 'orders', label: t('tabAllOrders'), href: withM('/merchant/orders') },
    { key: 'live', label: t('tabLive'), href: withM('/merchant/live') },
    { key: 'coupons', label: t('promoTabCoupons'), href: withM('/merchant/coupons') },
    { key: 'presale', label: t('tabPresale'), href: withM('/merchant/presale') },
    { key: 'flash-sales', label: t('tabFlashSales'), href: withM('/merchant/flash-sales') },
    { key: 'campaigns', label: t('tabCampaignEnrol'), href: withM('/merchant/campaigns') },
  ];
  if (stores && stores.length === 0) {
    return <div className="container"><div className="card"><Empty>{t('noStore')}</Empty></div></div>;
  }
  const top = (
    <div className="console-top card">
      <div className="store-logo">{store?.name.slice(0, 1) ?? '·'}</div>
      <div className="console-store-name"><b data-testid="store-name">{store?.name ?? ''}</b> <SelfBadge kind={store?.kind} /></div>
      {stores && stores.length > 1 && (
        <label className="store-picker">{t('pickStore')}：
          <select value={mid} data-testid="store-picker" onChange={(e) => navigate(`${location.pathname}?m=${encodeURIComponent(e.target.value)}`)}>
            {stores.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </select>
        </label>
      )}
    </div>
  );
  return (
    <ConsoleLayout title={t('mcTitle')} nav={nav} active={tab} top={top}>
      {!mid ? null : tab === 'products' ? <ProductsTab mid={mid} key={mid} />
        : tab === 'new' ? <NewProductForm mid={mid} key={mid} />
        : tab === 'ship' ? <OrdersTab mid={mid} status="paid" key={`${mid}-ship`} />
        : tab === 'orders' ? <OrdersTab mid={mid} key={`${mid}-all`} />
        : tab === 'live' ? <LiveTab mid={mid} key={`${mid}-live`} />
        : tab === 'coupons' ? <MerchantCouponsTab mid={mid} key={`${mid}-coupons`} />
        : tab === 'presale' ? <PresaleTab mid={mid} key={`${mid}-presale`} />
        : tab === 'flash-sales' ? <MerchantFlashSalesTab mid={mid} key={`${mid}-flash`} />
        : tab === 'campaigns' ? <MerchantCampaignsTab mid={mid} key={`${mid}-campaigns`} />
        : <Overview mid={mid} key={mid} />}
    </ConsoleLayout>
  );
}
