import { createHash } from 'node:crypto';

/**
 * Identifier kinds a person can be known by. Phone numbers and emails are never stored in
 * the clear: they are normalised and hashed (SHA-256), so partners can send the same hash.
 */
export const IDENTIFIER_KINDS = ['account', 'device', 'phone', 'email', 'wechat_openid', 'wechat_unionid', 'alipay_user_id', 'taobao_user'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export interface Identifier {
  kind: IdentifierKind;
  value: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const HEX64 = /^[0-9a-f]{64}$/;

const RULES: Record<IdentifierKind, { pattern: RegExp; message: string; normalise?: (v: string) => string }> = {
  account: { pattern: /^usr_[a-z0-9]{8,40}$/, message: 'an account id looks like usr_…' },
  device: { pattern: /^[A-Za-z0-9._:-]{8,64}$/, message: 'a device id is 8-64 letters, digits, dots, colons, dashes or underscores' },
  phone: {
    pattern: HEX64,
    message: 'a mainland mobile number (11 digits starting with 1) or its SHA-256 hex',
    normalise: (v) => {
      const digits = v.replace(/[\s-]/g, '').replace(/^\+?86/, '');
      return /^1[3-9]\d{9}$/.test(digits) ? sha256(digits) : v.toLowerCase();
    },
  },
  email: {
    pattern: HEX64,
    message: 'an email address or its SHA-256 hex',
    normalise: (v) => (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()) ? sha256(v.trim().toLowerCase()) : v.toLowerCase()),
  },
  wechat_openid: { pattern: /^[A-Za-z0-9_-]{16,64}$/, message: 'a WeChat openid is 16-64 letters, digits, - or _' },
  wechat_unionid: { pattern: /^[A-Za-z0-9_-]{16,64}$/, message: 'a WeChat unionid is 16-64 letters, digits, - or _' },
  alipay_user_id: { pattern: /^2088\d{12}$/, message: 'an Alipay user id is 16 digits starting with 2088' },
  taobao_user: { pattern: /^\d{1,20}$/, message: 'a Taobao dataset user id is digits' },
};

/** The stored key of an identifier, e.g. `phone:<sha256>`; throws a message on a malformed value. */
export function identifierKey(kind: string, rawValue: unknown): string {
  if (!(IDENTIFIER_KINDS as readonly string[]).includes(kind)) throw new IdentifierError(`unknown identifier kind ${JSON.stringify(kind).slice(0, 40)}; one of ${IDENTIFIER_KINDS.join(', ')}`);
  if (typeof rawValue !== 'string' || rawValue.length > 200) throw new IdentifierError(`${kind}: ${RULES[kind as IdentifierKind].message}`);
  const rule = RULES[kind as IdentifierKind];
  const value = rule.normalise ? rule.normalise(rawValue) : rawValue;
  if (!rule.pattern.test(value)) throw new IdentifierError(`${kind}: ${rule.message}`);
  return `${kind}:${value}`;
}

export class IdentifierError extends Error {}

export function kindOf(key: string): IdentifierKind {
  return key.slice(0, key.indexOf(':')) as IdentifierKind;
}

/** What an operator sees: hashes and long ids shortened, never a phone number in the clear. */
export function displayOf(key: string): string {
  const value = key.slice(key.indexOf(':') + 1);
  return value.length > 24 ? `${value.slice(0, 10)}…${value.slice(-6)}` : value;
}

export const accountKey = (userId: string) => `account:${userId}`;
export const deviceKey = (deviceId: string) => `device:${deviceId}`;

export const isDeviceId = (value: string) => RULES.device.pattern.test(value);
