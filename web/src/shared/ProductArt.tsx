// A deterministic SVG "photo" per product: gradient from a hash, category glyph, brand name.
import { useId } from 'react';
import { pickGlyph } from './glyphs';

export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

interface Props { id: string; category?: string | null; brand?: string | null; title?: string; className?: string }

export function ProductArt({ id, category, brand, title = '', className }: Props) {
  const gid = useId().replace(/:/g, '');
  const h = hashString(id);
  const glyph = pickGlyph(category ?? '', title);
  const hue = (glyph.hue + (h % 50) - 25 + 360) % 360;
  const hue2 = (hue + 20 + ((h >> 8) % 30)) % 360;
  const light = 62 + ((h >> 4) % 10);
  const bx = 30 + ((h >> 12) % 140);
  const by = 20 + ((h >> 16) % 60);
  const tilt = ((h >> 20) % 21) - 10;
  const label = (brand || '').slice(0, 14);
  return (
    <svg className={`product-art ${className ?? ''}`} viewBox="0 0 200 200" role="img" aria-label={title || brand || 'product'} preserveAspectRatio="xMidYMid slice">
      <defs>
        <linearGradient id={`g${gid}`} x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor={`hsl(${hue} 80% ${light + 14}%)`} />
          <stop offset="1" stopColor={`hsl(${hue2} 72% ${light - 12}%)`} />
        </linearGradient>
        <filter id={`s${gid}`} x="-20%" y="-20%" width="140%" height="140%">
          <feDropShadow dx="0" dy="4" stdDeviation="4" floodColor={`hsl(${hue2} 60% 25%)`} floodOpacity="0.35" />
        </filter>
      </defs>
      <rect width="200" height="200" fill={`url(#g${gid})`} />
      <circle cx={bx} cy={by} r="70" fill="white" opacity="0.12" />
      <circle cx={200 - bx / 2} cy={190} r="50" fill="white" opacity="0.08" />
      <g transform={`translate(55 38) scale(0.9) rotate(${tilt} 50 50)`} filter={`url(#s${gid})`}>{glyph.draw()}</g>
      {label && (
        <text x="100" y="178" textAnchor="middle" fill="white" fontSize={label.length > 8 ? 15 : 18} fontWeight="700"
          letterSpacing="1" style={{ fontFamily: 'inherit' }} opacity="0.95">{label}</text>
      )}
    </svg>
  );
}
