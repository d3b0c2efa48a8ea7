import { Type } from 'typebox';
import type { AppContext } from '../../app.ts';
import { requireOperator } from '../../http/auth.ts';
import { MoneyOut, PageQuery, pageOf } from '../../http/schemas.ts';
import type { Api } from '../../http/types.ts';

export function ledgerRoutes(api: Api, { services }: AppContext) {
  api.get('/admin/ledger/trial-balance', {
    schema: {
      tags: ['operator'], summary: 'Balance of every ledger account; the total is always 0',
      response: { 200: Type.Object({ accounts: Type.Array(Type.Object({ account: Type.String(), balance: MoneyOut })), total: MoneyOut }) },
    },
  }, async (request) => {
    requireOperator(request);
    return services.ledger.trialBalance();
  });

  api.get('/admin/ledger/postings', { schema: { tags: ['operator'], summary: 'Recent ledger postings', querystring: Type.Object({ ...PageQuery }) } }, async (request) => {
    requireOperator(request);
    return services.ledger.postings(pageOf(request.query));
  });

  api.get('/admin/audit', { schema: { tags: ['operator'], summary: 'Operator actions', querystring: Type.Object({ ...PageQuery }) } }, async (request) => {
    requireOperator(request);
    return services.audit.list(pageOf(request.query));
  });
}
