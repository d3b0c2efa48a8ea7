import { Type, type Static } from 'typebox';

/** Shared request and response shapes; every route schema is built from these. */

export const MAX_AMOUNT = 100_000_000_00; // 100 million yuan in fen: above it is a typo, not a price.
export const MAX_STOCK = 10_000_000;

export const MoneySchema = Type.Object({
  amount: Type.Integer({ minimum: 0, maximum: MAX_AMOUNT }),
  currency: Type.Literal('CNY'),
});
export const PositiveMoneySchema = Type.Object({
  amount: Type.Integer({ minimum: 1, maximum: MAX_AMOUNT }),
  currency: Type.Literal('CNY'),
});
/** Money in answers, where a ledger balance may be negative. */
export const MoneyOut = Type.Object({ amount: Type.Integer(), currency: Type.String() });

export const Id = Type.String({ minLength: 1, maxLength: 64 });
export const IdParams = (...names: string[]) =>
  Type.Object(Object.fromEntries(names.map((n) => [n, Id])) as Record<string, typeof Id>);

export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
};
export type Page = { page: number; pageSize: number };
export const pageOf = (q: { page?: number; pageSize?: number }): Page => ({ page: q.page ?? 1, pageSize: q.pageSize ?? 20 });

export const Attributes = Type.Record(Type.String({ minLength: 1, maxLength: 40 }), Type.String({ maxLength: 200 }), {
  maxProperties: 30,
});

export const Problem = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  code: Type.String(),
  detail: Type.String(),
  errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
});

export const ListOf = <T extends ReturnType<typeof Type.Object>>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});

export type MoneyIn = Static<typeof MoneySchema>;
