import type { PricingSource } from '../pricing/service.ts';
import type { CampaignsService } from './service.ts';

/** Campaigns in the checkout: the running phases' platform-funded rules, from memory. */
export function campaignCheckoutPart(campaigns: CampaignsService): PricingSource {
  return {
    name: 'campaigns',
    rules: (sql, _skuIds, at) => campaigns.activeRules(at, sql),
  };
}
