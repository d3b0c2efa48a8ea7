// Route table and page shell.
import { useEffect, type ReactNode } from 'react';
import { Link, matchRoute, navigate, useLocation } from './shared/router';
import { useAuth } from './shared/auth';
import { trackView } from './shared/tracking';
import { Footer, Header } from './shared/Header';
import { Loading, ToastHost } from './shared/ui';
import { useI18n } from './i18n';
import { HomePage } from './storefront/HomePage';
import { CategoryPage, SearchPage } from './storefront/ListingPages';
import { SearchResultsPage } from './storefront/SearchResultsPage';
import { ProductPage } from './storefront/ProductPage';
import { CartPage } from './storefront/CartPage';
import { CheckoutPage } from './storefront/CheckoutPage';
import { PayPage, PaySuccessPage } from './storefront/PayPage';
import { OrdersPage } from './storefront/OrdersPage';
import { OrderDetailPage } from './storefront/OrderDetailPage';
import { LoginPage } from './storefront/LoginPage';
import { FavoritesPage } from './storefront/FavoritesPage';
import { PrivacyPage } from './storefront/PrivacyPage';
import { MyPresalesPage } from './storefront/PresalePages';
import { ContentFeedPage } from './content/ContentFeedPage';
import { NotePage } from './content/NotePage';
import { WriteNotePage } from './content/WriteNotePage';
import { LiveRoomPage } from './content/LiveRoomPage';
import { AuthorNotesPage, MyNotesPage } from './content/MyNotesPage';
import { FlashSalesPage } from './campaigns/FlashSalesPage';
import { CampaignsPage, CampaignVenuePage } from './campaigns/CampaignPages';
import { MerchantConsole } from './merchant/MerchantConsole';
import { AdminConsole } from './admin/AdminConsole';
import { VipPage, VipPayPage } from './membership/VipPage';
import { MyCouponsPage } from './promotions/MyCouponsPage';
import { MyPointsPage } from './points/MyPointsPage';

type Params = Record<string, string>;
interface Route { pattern: string; auth?: boolean; render: (p: Params) => ReactNode }

const routes: Route[] = [
  { pattern: '/', render: () => <HomePage /> },
  { pattern: '/search', render: () => <SearchResultsPage /> },
  { pattern: '/products', render: () => <SearchPage /> },
  { pattern: '/category/:id', render: (p) => <CategoryPage id={p.id} /> },
  { pattern: '/product/:id', render: (p) => <ProductPage id={p.id} /> },
  { pattern: '/login', render: () => <LoginPage /> },
  { pattern: '/cart', auth: true, render: () => <CartPage /> },
  { pattern: '/checkout', auth: true, render: () => <CheckoutPage /> },
  { pattern: '/pay/:gid', auth: true, render: (p) => <PayPage groupId={p.gid} /> },
  { pattern: '/pay/:gid/success', auth: true, render: (p) => <PaySuccessPage groupId={p.gid} /> },
  { pattern: '/orders', auth: true, render: () => <OrdersPage /> },
  { pattern: '/orders/:id', auth: true, render: (p) => <OrderDetailPage id={p.id} /> },
  { pattern: '/me/favorites', auth: true, render: () => <FavoritesPage /> },
  { pattern: '/me/privacy', auth: true, render: () => <PrivacyPage /> },
  { pattern: '/me/presales', auth: true, render: () => <MyPresalesPage /> },
  { pattern: '/content', render: () => <ContentFeedPage /> },
  { pattern: '/content/new', auth: true, render: () => <WriteNotePage /> },
  { pattern: '/content/notes/:id', render: (p) => <NotePage id={p.id} /> },
  { pattern: '/content/authors/:kind/:id', render: (p) => <AuthorNotesPage kind={p.kind} id={p.id} /> },
  { pattern: '/live/:id', render: (p) => <LiveRoomPage id={p.id} /> },
  { pattern: '/me/notes', auth: true, render: () => <MyNotesPage /> },
  { pattern: '/vip', render: () => <VipPage /> },
  { pattern: '/vip/pay/:id', auth: true, render: (p) => <VipPayPage purchaseId={p.id} /> },
  { pattern: '/me/coupons', auth: true, render: () => <MyCouponsPage /> },
  { pattern: '/me/points', auth: true, render: () => <MyPointsPage /> },
  { pattern: '/flash-sales', render: () => <FlashSalesPage /> },
  { pattern: '/campaigns', render: () => <CampaignsPage /> },
  { pattern: '/campaigns/:id', render: (p) => <CampaignVenuePage id={p.id} /> },
  { pattern: '/merchant', auth: true, render: () => <MerchantConsole tab="overview" /> },
  { pattern: '/merchant/:tab', auth: true, render: (p) => <MerchantConsole tab={p.tab} /> },
  { pattern: '/admin', auth: true, render: () => <AdminConsole tab="merchants" /> },
  { pattern: '/admin/:tab', auth: true, render: (p) => <AdminConsole tab={p.tab} /> },
  { pattern: '/admin/:tab/:id', auth: true, render: (p) => <AdminConsole tab={p.tab} id={p.id} /> },
];

export function App() {
  const { path, search } = useLocation();
  useI18n();
  // Storefront page views; the product page records its own view with the product, the consoles are not tracked.
  useEffect(() => { if (!/^\/(product|merchant|admin)(\/|$)/.test(path)) trackView(path + search); }, [path, search]);
  let page: ReactNode = <NotFound />;
  for (const r of routes) {
    const params = matchRoute(r.pattern, path);
    if (params) {
      page = r.auth ? <RequireAuth>{r.render(params)}</RequireAuth> : r.render(params);
      break;
    }
  }
  return (
    <div className="app">
      <Header />
      <main className="main">{page}</main>
      <Footer />
      <ToastHost />
    </div>
  );
}

function RequireAuth({ children }: { children: ReactNode }) {
  const { user, ready } = useAuth();
  const { path, search } = useLocation();
  const mustLogin = ready && !user;
  useEffect(() => {
    if (mustLogin) navigate(`/login?next=${encodeURIComponent(path + search)}`, { replace: true });
  }, [mustLogin, path, search]);
  return ready && user ? <>{children}</> : <Loading />;
}

function NotFound() {
  const { t } = useI18n();
  return (
    <div className="container page-center">
      <div className="big-404">404</div>
      <p>{t('notFound')}</p>
      <Link to="/" className="btn btn-primary">{t('backHome')}</Link>
    </div>
  );
}
