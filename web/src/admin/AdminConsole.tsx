// /admin: operator console with merchants, orders, trial balance, audit log, search (ranking, synonyms, zero results)
// people (profiles, crowds, partner consents) and recommendations (models, click-through, editorial picks).
import { isOperator, useAuth } from '../shared/auth';
import { ConsoleLayout } from '../shared/ConsoleLayout';
import { Empty } from '../shared/ui';
import { MerchantsTab } from './MerchantsTab';
import { AdminOrders } from './AdminOrders';
import { TrialBalancePage } from './TrialBalance';
import { AuditLog } from './AuditLog';
import { SearchPolicies } from './SearchPolicies';
import { SearchSynonyms } from './SearchSynonyms';
import { ZeroResults } from './ZeroResults';
import { PeopleTab } from './PeopleTab';
import { CrowdsTab } from './CrowdsTab';
import { SourceConsents } from './SourceConsents';
import { NotesModeration } from './NotesModeration';
import { RecoTab } from './RecoTab';
import { MembershipTab } from './MembershipTab';
import { AdminPromotionsTab } from '../promotions/AdminPromotionsTab';
import { AdminCampaignsTab } from '../campaigns/AdminCampaignsTab';
import { useI18n } from '../i18n';

export function AdminConsole({ tab, id }: { tab: string; id?: string }) {
  const { t } = useI18n();
  const { user } = useAuth();
  if (!isOperator(user)) return <div className="container"><div className="card"><Empty>{t('forbidden')}</Empty></div></div>;
  const nav = [
    { key: 'merchants', label: t('tabMerchants'), href: '/admin' },
    { key: 'orders', label: t('tabOrders'), href: '/admin/orders' },
    { key: 'ledger', label: t('tabLedger'), href: '/admin/ledger' },
    { key: 'audit', label: t('tabAudit'), href: '/admin/audit' },
    { key: 'search', label: t('tabSearchPolicies'), href: '/admin/search' },
    { key: 'synonyms', label: t('tabSynonyms'), href: '/admin/synonyms' },
    { key: 'zero-results', label: t('tabZeroResults'), href: '/admin/zero-results' },
    { key: 'people', label: t('tabPeople'), href: '/admin/people' },
    { key: 'crowds', label: t('tabCrowds'), href: '/admin/crowds' },
    { key: 'source-consents', label: t('tabSourceConsents'), href: '/admin/source-consents' },
    { key: 'notes', label: t('tabNotes'), href: '/admin/notes' },
    { key: 'reco', label: t('tabReco'), href: '/admin/reco' },
    { key: 'membership', label: t('tabMembership'), href: '/admin/membership' },
    { key: 'promotions', label: t('promoTabPromotions'), href: '/admin/promotions' },
    { key: 'campaigns', label: t('tabCampaigns'), href: '/admin/campaigns' },
  ];
  const page = tab === 'orders' ? <AdminOrders /> : tab === 'ledger' ? <TrialBalancePage /> : tab === 'audit' ? <AuditLog />
    : tab === 'search' ? <SearchPolicies /> : tab === 'synonyms' ? <SearchSynonyms /> : tab === 'zero-results' ? <ZeroResults />
    : tab === 'people' ? <PeopleTab personId={id} /> : tab === 'crowds' ? <CrowdsTab crowdId={id} /> : tab === 'source-consents' ? <SourceConsents />
    : tab === 'notes' ? <NotesModeration /> : tab === 'reco' ? <RecoTab /> : tab === 'membership' ? <MembershipTab />
    : tab === 'promotions' ? <AdminPromotionsTab /> : tab === 'campaigns' ? <AdminCampaignsTab />
    : <MerchantsTab />;
  return (
    <ConsoleLayout title={t('adTitle')} nav={nav} active={tab}>
      {page}
    </ConsoleLayout>
  );
}
