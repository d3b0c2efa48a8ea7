import type { Money } from './types';

/** Formats fen as yuan with integer maths only: 12900 -> "¥129.00". */
export function formatMoney(m: Money | number | null | undefined): string {
  const fen = typeof m === 'number' ? m : m?.amount ?? 0;
  const { sign, yuan, cents } = splitFen(fen);
  return `${sign}¥${groupThousands(yuan)}.${cents}`;
}

export function splitFen(fen: number): { sign: string; yuan: string; cents: string } {
  const n = Math.trunc(fen);
  const abs = Math.abs(n);
  return {
    sign: n < 0 ? '-' : '',
    yuan: String(Math.floor(abs / 100)),
    cents: String(abs % 100).padStart(2, '0'),
  };
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Fen -> plain yuan string for an input: 12950 -> "129.50". */
export function fenToYuanInput(fen: number): string {
  const { sign, yuan, cents } = splitFen(fen);
  return `${sign}${yuan}.${cents}`;
}

/** Parses a yuan string into fen without floats. "129.5" -> 12950; invalid -> null. */
export function parseYuan(input: string): number | null {
  const m = /^\s*(\d{1,9})(?:\.(\d{0,2}))?\s*$/.exec(input);
  if (!m) return null;
  const cents = (m[2] ?? '').padEnd(2, '0');
  return Number(m[1]) * 100 + Number(cents);
}

/** Basis points -> percent text: 550 -> "5.5%". */
export function bpsToPercent(bps: number): string {
  const whole = Math.floor(bps / 100);
  const frac = String(bps % 100).padStart(2, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}%` : `${whole}%`;
}

/** Percent text -> basis points without floats: "5.5" -> 550; invalid -> null. */
export function parsePercent(input: string): number | null {
  const m = /^\s*(\d{1,3})(?:\.(\d{0,2}))?\s*%?\s*$/.exec(input);
  if (!m) return null;
  const bps = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bps <= 10000 ? bps : null;
}

export function yuan(fen: number): Money {
  return { amount: fen, currency: 'CNY' };
}
