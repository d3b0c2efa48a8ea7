import type { FastifyRequest } from 'fastify';
import type { User } from '../modules/identity/service.ts';
import { merchantRole } from '../modules/identity/service.ts';
import { forbidden, unauthorized } from '../shared/problems.ts';

declare module 'fastify' {
  interface FastifyRequest {
    user: User | undefined;
  }
}

export function requireUser(request: FastifyRequest): User {
  if (!request.user) throw unauthorized();
  return request.user;
}

export const isOperator = (user: User | undefined) => !!user?.roles.includes('operator');

export function requireOperator(request: FastifyRequest): User {
  const user = requireUser(request);
  if (!isOperator(user)) throw forbidden('operators only');
  return user;
}

/** That merchant's staff, or an operator. Anyone else gets 403, never a peek. */
export function requireMerchantStaff(request: FastifyRequest, merchantId: string): User {
  const user = requireUser(request);
  if (!user.roles.includes(merchantRole(merchantId)) && !isOperator(user)) throw forbidden('you are not staff of this merchant');
  return user;
}

export const staffMerchantIds = (user: User) => user.roles.filter((r) => r.startsWith('merchant:')).map((r) => r.slice('merchant:'.length));

/** An operator working in a store they are not staff of: such changes go to the audit log. */
export const actingAsOperator = (user: User, merchantId: string) => isOperator(user) && !user.roles.includes(merchantRole(merchantId));

/** The X-Device-Id a storefront sends so anonymous behaviour can join the account later. */
export function deviceIdOf(request: FastifyRequest): string | undefined {
  const value = request.headers['x-device-id'];
  return typeof value === 'string' && value.length ? value : undefined;
}
