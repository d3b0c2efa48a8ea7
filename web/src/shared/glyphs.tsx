// Simple white category glyphs drawn in a 100x100 box, used by ProductArt.
import type { ReactElement } from 'react';

export interface Glyph { hue: number; keys: string[]; draw: () => ReactElement }

const W = 'white';
const S = { fill: 'none', stroke: W, strokeWidth: 6, strokeLinecap: 'round', strokeLinejoin: 'round' } as const;

export const GLYPHS: Glyph[] = [
  { hue: 212, keys: ['手机', '电话', 'phone', 'mobile'], draw: () => (<g>
    <rect x="30" y="8" width="40" height="84" rx="8" fill={W} />
    <rect x="35" y="18" width="30" height="60" rx="2" fill="rgba(0,0,0,.18)" />
    <circle cx="50" cy="85" r="3" fill="rgba(0,0,0,.25)" /></g>) },
  { hue: 200, keys: ['电脑', '笔记本电脑', '平板', 'laptop', 'computer', 'tablet', '办公'], draw: () => (<g>
    <rect x="18" y="20" width="64" height="44" rx="4" fill={W} />
    <rect x="23" y="25" width="54" height="34" fill="rgba(0,0,0,.18)" />
    <path d="M8 72 H92 L86 80 H14 Z" fill={W} /></g>) },
  { hue: 265, keys: ['耳机', '音响', '音频', 'audio', 'headphone', 'earbud', 'speaker'], draw: () => (<g>
    <path d="M20 60 V48 a30 30 0 0 1 60 0 V60" {...S} strokeWidth={7} />
    <rect x="12" y="54" width="18" height="30" rx="6" fill={W} />
    <rect x="70" y="54" width="18" height="30" rx="6" fill={W} /></g>) },
  { hue: 190, keys: ['手表', '穿戴', 'watch', 'wearable'], draw: () => (<g>
    <rect x="38" y="6" width="24" height="88" rx="6" fill="rgba(255,255,255,.6)" />
    <circle cx="50" cy="50" r="24" fill={W} />
    <path d="M50 36 V50 L60 56" {...S} stroke="rgba(0,0,0,.3)" strokeWidth={4} /></g>) },
  { hue: 225, keys: ['电视', '家电', '生活电器', '冰箱', '洗衣', '空调', 'tv', 'appliance'], draw: () => (<g>
    <rect x="10" y="16" width="80" height="54" rx="5" fill={W} />
    <rect x="16" y="22" width="68" height="42" fill="rgba(0,0,0,.15)" />
    <path d="M38 84 H62 M50 70 V84" {...S} /></g>) },
  { hue: 290, keys: ['个护电器', '吹风', 'hair dryer'], draw: () => (<g>
    <path d="M14 30 a22 22 0 0 1 22 -22 H78 a8 8 0 0 1 8 8 V36 a8 8 0 0 1 -8 8 H36 a22 22 0 0 1 -22 -14 Z" fill={W} />
    <circle cx="36" cy="26" r="9" fill="rgba(0,0,0,.15)" />
    <rect x="50" y="42" width="16" height="48" rx="7" fill={W} /></g>) },
  { hue: 340, keys: ['口红', '彩妆', '唇', 'lipstick', 'makeup'], draw: () => (<g>
    <rect x="36" y="52" width="28" height="40" rx="3" fill={W} />
    <rect x="40" y="36" width="20" height="18" fill="rgba(255,255,255,.8)" />
    <path d="M40 36 V18 L60 8 V36 Z" fill={W} /></g>) },
  { hue: 320, keys: ['美妆', '护肤', '面霜', '精华', 'beauty', 'skincare', '个护'], draw: () => (<g>
    <rect x="42" y="8" width="16" height="14" rx="2" fill={W} />
    <path d="M34 28 H66 L72 40 V88 a4 4 0 0 1 -4 4 H32 a4 4 0 0 1 -4 -4 V40 Z" fill={W} />
    <rect x="36" y="50" width="28" height="22" rx="3" fill="rgba(0,0,0,.12)" /></g>) },
  { hue: 300, keys: ['香水', 'perfume', 'fragrance'], draw: () => (<g>
    <rect x="42" y="10" width="16" height="16" rx="3" fill={W} />
    <rect x="46" y="26" width="8" height="8" fill="rgba(255,255,255,.8)" />
    <rect x="20" y="34" width="60" height="58" rx="16" fill={W} />
    <circle cx="50" cy="63" r="13" fill="rgba(0,0,0,.12)" /></g>) },
  { hue: 15, keys: ['服饰', '服装', '男装', 'T恤', '衬衫', '外套', '卫衣', '运动服饰', '童装', 'clothing', 'apparel', 'shirt'], draw: () => (<g>
    <path d="M34 10 L16 20 L6 40 L20 48 L26 38 V90 H74 V38 L80 48 L94 40 L84 20 L66 10 Q50 24 34 10 Z" fill={W} /></g>) },
  { hue: 345, keys: ['女装', '连衣裙', 'dress'], draw: () => (<g>
    <path d="M38 6 V20 L30 40 L12 92 H88 L70 40 L62 20 V6 Q50 14 38 6 Z" fill={W} />
    <path d="M30 40 H70" {...S} stroke="rgba(0,0,0,.15)" strokeWidth={4} /></g>) },
  { hue: 30, keys: ['鞋', '鞋靴', '运动鞋', '休闲鞋', '靴', 'shoe', 'sneaker', 'boot'], draw: () => (<g>
    <path d="M8 70 V40 Q22 40 30 30 L46 52 Q70 56 88 64 Q94 68 92 76 H8 Z" fill={W} />
    <path d="M8 82 H92" {...S} /></g>) },
  { hue: 5, keys: ['箱包', '女包', '包', 'bag', 'handbag'], draw: () => (<g>
    <path d="M34 34 V24 a16 16 0 0 1 32 0 V34" {...S} />
    <rect x="14" y="34" width="72" height="56" rx="8" fill={W} /></g>) },
  { hue: 200, keys: ['行李箱', 'suitcase', 'luggage'], draw: () => (<g>
    <path d="M40 18 V8 H60 V18" {...S} />
    <rect x="24" y="18" width="52" height="68" rx="8" fill={W} />
    <path d="M40 30 V74 M60 30 V74" {...S} stroke="rgba(0,0,0,.15)" strokeWidth={4} />
    <circle cx="34" cy="92" r="5" fill={W} /><circle cx="66" cy="92" r="5" fill={W} /></g>) },
  { hue: 160, keys: ['双肩包', 'backpack'], draw: () => (<g>
    <path d="M38 20 a12 12 0 0 1 24 0" {...S} />
    <rect x="22" y="20" width="56" height="72" rx="16" fill={W} />
    <rect x="32" y="56" width="36" height="24" rx="5" fill="rgba(0,0,0,.12)" /></g>) },
  { hue: 100, keys: ['生鲜', '水果', '生鲜水果', '蔬菜', 'fruit', 'fresh'], draw: () => (<g>
    <circle cx="50" cy="58" r="32" fill={W} />
    <path d="M50 28 Q50 14 58 8" {...S} />
    <path d="M54 24 Q70 8 82 18 Q70 32 54 24 Z" fill="rgba(255,255,255,.8)" /></g>) },
  { hue: 40, keys: ['食品', '零食', 'snack', 'food', 'candy'], draw: () => (<g>
    <path d="M26 50 L8 36 L12 64 Z M74 50 L92 36 L88 64 Z" fill="rgba(255,255,255,.85)" />
    <ellipse cx="50" cy="50" rx="28" ry="22" fill={W} />
    <path d="M36 40 Q50 50 36 60 M50 34 Q64 50 50 66" {...S} stroke="rgba(0,0,0,.12)" strokeWidth={4} /></g>) },
  { hue: 28, keys: ['茶', '茶叶', '咖啡', '饮料', '酒', 'tea', 'coffee', 'drink'], draw: () => (<g>
    <path d="M18 40 H74 V64 a24 24 0 0 1 -24 24 H42 a24 24 0 0 1 -24 -24 Z" fill={W} />
    <path d="M74 46 a12 12 0 0 1 0 24" {...S} />
    <path d="M34 30 Q30 22 34 14 M50 30 Q46 22 50 14 M64 30 Q60 22 64 14" {...S} strokeWidth={4} /></g>) },
  { hue: 45, keys: ['母婴', '婴', '奶粉', '奶粉辅食', '尿裤湿巾', 'baby', 'toy', '玩具'], draw: () => (<g>
    <rect x="40" y="6" width="20" height="12" rx="6" fill={W} />
    <rect x="34" y="18" width="32" height="8" rx="2" fill="rgba(255,255,255,.8)" />
    <rect x="30" y="26" width="40" height="66" rx="12" fill={W} />
    <path d="M38 46 H50 M38 58 H50 M38 70 H50" {...S} stroke="rgba(0,0,0,.2)" strokeWidth={4} /></g>) },
  { hue: 150, keys: ['运动', '运动户外', 'sport', 'ball'], draw: () => (<g>
    <circle cx="50" cy="50" r="40" fill={W} />
    <path d="M50 10 V90 M10 50 H90 M22 22 Q50 50 22 78 M78 22 Q50 50 78 78" {...S} stroke="rgba(0,0,0,.18)" strokeWidth={4} /></g>) },
  { hue: 170, keys: ['健身', '健身器材', 'fitness', 'dumbbell'], draw: () => (<g>
    <rect x="6" y="34" width="14" height="32" rx="4" fill={W} /><rect x="20" y="26" width="12" height="48" rx="4" fill={W} />
    <rect x="80" y="34" width="14" height="32" rx="4" fill={W} /><rect x="68" y="26" width="12" height="48" rx="4" fill={W} />
    <rect x="32" y="45" width="36" height="10" rx="3" fill={W} /></g>) },
  { hue: 120, keys: ['户外', '户外装备', 'outdoor', 'camping', 'tent'], draw: () => (<g>
    <path d="M50 12 L92 86 H8 Z" fill={W} />
    <path d="M50 40 L36 86 H64 Z" fill="rgba(0,0,0,.16)" /></g>) },
  { hue: 35, keys: ['家居', '家具', '沙发', 'home', 'furniture'], draw: () => (<g>
    <rect x="20" y="28" width="60" height="30" rx="8" fill={W} />
    <rect x="8" y="44" width="84" height="30" rx="8" fill={W} />
    <path d="M18 74 V86 M82 74 V86" {...S} /></g>) },
  { hue: 230, keys: ['床上用品', '家纺', 'bedding', 'bed'], draw: () => (<g>
    <rect x="8" y="30" width="10" height="58" rx="3" fill={W} />
    <rect x="22" y="38" width="26" height="16" rx="7" fill={W} />
    <rect x="18" y="56" width="74" height="22" rx="5" fill={W} />
    <path d="M88 78 V88" {...S} /></g>) },
  { hue: 55, keys: ['收纳', '收纳整理', 'storage', 'box'], draw: () => (<g>
    <path d="M10 34 L50 18 L90 34 L50 50 Z" fill="rgba(255,255,255,.85)" />
    <path d="M10 34 V72 L50 90 V50 Z" fill={W} /><path d="M90 34 V72 L50 90 V50 Z" fill="rgba(255,255,255,.9)" /></g>) },
  { hue: 180, keys: ['厨房', '厨房电器', '锅', '餐具', '餐具厨具', 'kitchen', 'cookware'], draw: () => (<g>
    <path d="M14 44 H86 V70 a16 16 0 0 1 -16 16 H30 a16 16 0 0 1 -16 -16 Z" fill={W} />
    <rect x="36" y="32" width="28" height="8" rx="4" fill={W} />
    <path d="M4 50 H14 M86 50 H96" {...S} /></g>) },
  { hue: 250, keys: ['图书', '书', '童书', '文学小说', '经管励志', 'book', 'stationery'], draw: () => (<g>
    <path d="M50 24 Q30 12 10 18 V82 Q30 76 50 88 Q70 76 90 82 V18 Q70 12 50 24 Z" fill={W} />
    <path d="M50 24 V88" {...S} stroke="rgba(0,0,0,.2)" strokeWidth={3} /></g>) },
  { hue: 25, keys: ['宠物', '猫粮狗粮', '宠物用品', 'pet', 'cat', 'dog'], draw: () => (<g>
    <ellipse cx="50" cy="66" rx="22" ry="19" fill={W} />
    <ellipse cx="22" cy="44" rx="9" ry="12" fill={W} /><ellipse cx="78" cy="44" rx="9" ry="12" fill={W} />
    <ellipse cx="38" cy="24" rx="9" ry="12" fill={W} /><ellipse cx="62" cy="24" rx="9" ry="12" fill={W} /></g>) },
  { hue: 200, keys: ['数码', '相机', 'digital', 'camera', 'electronics'], draw: () => (<g>
    <path d="M10 30 H32 L38 20 H62 L68 30 H90 V82 H10 Z" fill={W} />
    <circle cx="50" cy="56" r="17" fill="rgba(0,0,0,.2)" /><circle cx="50" cy="56" r="9" fill={W} /></g>) },
];

export const GIFT: Glyph = { hue: 12, keys: [], draw: () => (<g>
  <rect x="14" y="38" width="72" height="52" rx="4" fill={W} />
  <rect x="10" y="26" width="80" height="16" rx="3" fill={W} />
  <path d="M50 26 V90" stroke="rgba(0,0,0,.18)" strokeWidth={8} />
  <path d="M50 26 Q36 6 26 16 Q22 26 50 26 Q64 6 74 16 Q78 26 50 26" {...S} strokeWidth={5} /></g>) };

export function pickGlyph(category: string, title = ''): Glyph {
  return matchGlyph(category) ?? matchGlyph(title) ?? GIFT;
}

// The most specific category segment decides (last first); in a segment the longest keyword wins.
function matchGlyph(text: string): Glyph | null {
  const segments = text.toLowerCase().split('/').reverse();
  for (const seg of segments) {
    let best: Glyph | null = null;
    let bestLen = 0;
    for (const g of GLYPHS) {
      for (const k of g.keys) {
        if (k.length > bestLen && seg.includes(k.toLowerCase())) { best = g; bestLen = k.length; }
      }
    }
    if (best) return best;
  }
  return null;
}
