import { Type } from 'typebox';
import type { AppContext } from '../../app.ts';
import { requireUser } from '../../http/auth.ts';
import { MoneyOut, PageQuery, pageOf } from '../../http/schemas.ts';
import type { Api } from '../../http/types.ts';

const Movement = Type.Object({
  kind: Type.Union([Type.Literal('earned'), Type.Literal('spent'), Type.Literal('returned'), Type.Literal('taken_back')]),
  points: Type.Integer({ description: 'signed: + earned or returned, - spent or taken back' }),
  orderId: Type.String(), refundId: Type.Optional(Type.String()), at: Type.String(),
});

export function pointsRoutes(api: Api, { services }: AppContext) {
  api.get('/me/points', {
    schema: {
      tags: ['points'], summary: 'My points (积分): the balance, what it is worth, the rule, and every movement newest first',
      querystring: Type.Object({ ...PageQuery }),
      response: {
        200: Type.Object({
          balance: Type.Integer(), worth: MoneyOut,
          rule: Type.Object({ fenPerPointEarned: Type.Integer({ description: 'a completed order earns 1 point per this many fen paid' }), maxShareBps: Type.Integer({ description: 'points pay at most this share of a checkout (1000 = 10%)' }) }),
          items: Type.Array(Movement), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(),
        }),
      },
    },
  }, async (request) => services.points.mine(requireUser(request).id, pageOf(request.query)));
}
