/**
 * Demo marketplace data, loaded on a user's first start.
 *
 * Everything is generated here, deterministically: products are composed from
 * per-category lists of brands, product types, selling points and SKU
 * dimensions, with a seeded PRNG (mulberry32) supplying variety. Each leaf
 * category has its own seed, so editing one category never reshuffles another.
 */

import { seededRandom } from '../shared/random.ts';

export interface DemoMerchant {
  key: string;
  name: string;
  nameEn: string;
  kind: 'self_operated' | 'marketplace';
  commissionRateBps: number;
  ownerEmail: string;
  ownerName: string;
}
export interface DemoSku { code: string; attributes: Record<string, string>; price: number /* integer fen */; stock: number }
export interface DemoProduct {
  merchantKey: string;
  title: string;
  titleEn: string;
  description: string;
  brand: string;
  category: string /* path like "数码/手机" */;
  attributes: Record<string, string>;
  skus: DemoSku[];
}
export interface DemoShopper { email: string; name: string }
export interface DemoCategory { path: string; nameEn: string }

export const DEMO_PASSWORD = 'quanyu123';

export const demoOperator = { email: 'admin@demo.quanyu', name: '全域平台运营' };

type MerchantKey = 'quanyu-self' | 'jixin' | 'huayan' | 'linjia';

function merchant(key: MerchantKey, name: string, nameEn: string, commissionRateBps: number, ownerName: string): DemoMerchant {
  const kind = key === 'quanyu-self' ? 'self_operated' : 'marketplace';
  return { key, name, nameEn, kind, commissionRateBps, ownerEmail: `owner@${key}.demo.quanyu`, ownerName };
}

export const demoMerchants: DemoMerchant[] = [
  merchant('quanyu-self', '全域自营旗舰店', 'Quanyu Official Store', 300, '周全'),
  merchant('jixin', '极芯数码专营店', 'Jixin Digital', 500, '林志远'),
  merchant('huayan', '花妍美妆服饰馆', 'Huayan Beauty & Style', 800, '苏晓妍'),
  merchant('linjia', '邻家好物生活馆', 'Linjia Home & Pantry', 600, '何家宁'),
];

export const demoShoppers: DemoShopper[] = [
  { email: 'zhangxiaoming@demo.quanyu', name: '张小明' },
  { email: 'lina@demo.quanyu', name: '李娜' },
  { email: 'wangfang@demo.quanyu', name: '王芳' },
  { email: 'chenhao@demo.quanyu', name: '陈浩' },
];

// ---------------------------------------------------------------------------
// Catalog specification
// ---------------------------------------------------------------------------

/** A Chinese term and its English rendering. */
type Bilingual = readonly [zh: string, en: string];

interface SkuDimension {
  name: string;
  values: string[];
  /** Price increase (fraction of the base price) per step along `values`, e.g. bigger storage. */
  priceStep?: number;
}

interface LeafCategorySpec {
  name: string;
  nameEn: string;
  /** Prefix for SKU codes; unique across the catalog. */
  skuPrefix: string;
  /** Base price range in yuan, before priced SKU dimensions. */
  priceYuan: readonly [min: number, max: number];
  brands: Bilingual[];
  productTypes: Bilingual[];
  sellingPoints: Bilingual[];
  skuDimensions: SkuDimension[];
  /** Product attributes; one value is picked per product. */
  attributes: Record<string, string[]>;
  /** Closing sentences for descriptions; one is picked per product. */
  notes: string[];
}

interface TopCategorySpec {
  name: string;
  nameEn: string;
  /** Marketplace store that shares this category with the self-operated store. */
  store: MerchantKey;
  leaves: LeafCategorySpec[];
}

const PRODUCTS_PER_LEAF = 8;
const MAX_SKUS_PER_PRODUCT = 6;
const SELF_OPERATED_KEY: MerchantKey = 'quanyu-self';

const digitalBrands: Bilingual[] = [['星曜', 'Xingyao'], ['澜图', 'Lantu'], ['Novix', 'Novix'], ['青柚', 'Qingyou']];
const applianceBrands: Bilingual[] = [['暖居', 'Nuanju'], ['净翼', 'Jingyi'], ['Breezo', 'Breezo'], ['米禾', 'Mihe']];
const beautyBrands: Bilingual[] = [['花西晚', 'Huaxiwan'], ['Lumina', 'Lumina'], ['颜序', 'Yanxu'], ['珀芙', 'Perfu'], ['雪域', 'Xueyu']];
const apparelBrands: Bilingual[] = [['素野', 'Suye'], ['MOTI', 'MOTI'], ['棉朴', 'Mianpu'], ['Urbanic Lane', 'Urbanic Lane'], ['北纬29', 'N29']];
const shoeBrands: Bilingual[] = [['羚跑', 'Lingpao'], ['步云', 'Buyun'], ['Kinetiq', 'Kinetiq'], ['踏岚', 'Talan']];
const bagBrands: Bilingual[] = [['羚跑', 'Lingpao'], ['行野', 'Xingye'], ['Voyago', 'Voyago'], ['素野', 'Suye']];
const babyBrands: Bilingual[] = [['贝初', 'Beichu'], ['小羊驼', 'Little Alpaca'], ['MamaCare', 'MamaCare'], ['爱婴岛', 'Aiyingdao']];
const homeBrands: Bilingual[] = [['木槿生活', 'Mujin Living'], ['栖居', 'Qiju'], ['Nordhem', 'Nordhem'], ['暖居', 'Nuanju']];
const sportsBrands: Bilingual[] = [['羚跑', 'Lingpao'], ['Kinetiq', 'Kinetiq'], ['山野行', 'Shanyexing'], ['燃力', 'Ranli']];
const publishers: Bilingual[] = [['青禾出版社', 'Qinghe Press'], ['南山书局', 'Nanshan Books'], ['星河文化', 'Xinghe Culture'], ['拾光文库', 'Shiguang Library']];
const petBrands: Bilingual[] = [['喵呜', 'Miaowu'], ['汪仔', 'Wangzai'], ['Pawlia', 'Pawlia'], ['萌爪', 'Mengzhua']];

const applianceWarranty = { 额定电压: ['220V'], 售后服务: ['全国联保1年', '全国联保2年'] };
const clothingOrigins = ['浙江杭州', '广东广州', '江苏常熟', '福建石狮'];
const shoeOrigins = ['福建晋江', '广东东莞', '浙江温州'];
const shoeAttributes = (uppers: string[]) => ({ 鞋面材质: uppers, 鞋底材质: ['橡胶', 'EVA', '橡胶+EVA'], 产地: shoeOrigins });
const bookAttributes = { 开本: ['32开', '16开'], 语种: ['简体中文'], 出版时间: ['2024年', '2025年'] };

const catalogSpec: TopCategorySpec[] = [
  {
    name: '数码', nameEn: 'Digital', store: 'jixin', leaves: [
      {
        name: '手机', nameEn: 'Phones', skuPrefix: 'PHONE', priceYuan: [1999, 5299], brands: digitalBrands,
        productTypes: [['5G智能手机', '5G Smartphone'], ['折叠屏手机', 'Foldable Phone'], ['拍照旗舰手机', 'Camera Flagship Phone'], ['游戏手机', 'Gaming Phone']],
        sellingPoints: [['骁龙8旗舰芯', 'Flagship Snapdragon 8 Chip'], ['1亿像素影像', '108MP Camera'], ['5000mAh大电池', '5000mAh Battery'], ['120W超级快充', '120W Fast Charging'], ['2K护眼直屏', '2K Eye-care Display'], ['IP68防水', 'IP68 Water Resistant']],
        skuDimensions: [{ name: '颜色', values: ['曜石黑', '月光白', '远峰蓝', '青山绿'] }, { name: '存储容量', values: ['8GB+256GB', '12GB+256GB', '12GB+512GB', '16GB+1TB'], priceStep: 0.1 }],
        attributes: { 屏幕尺寸: ['6.1英寸', '6.7英寸', '6.8英寸'], 网络制式: ['5G全网通'], 操作系统: ['Android 14', 'Android 15'] },
        notes: ['支持NFC与红外遥控，系统提供5年安全更新。', '整机通过千次跌落测试，屏幕采用超瓷晶玻璃。', '机身轻薄好握持，包装内附原装快充充电器。'],
      },
      {
        name: '耳机', nameEn: 'Headphones', skuPrefix: 'AUDIO', priceYuan: [99, 1499], brands: [['声澜', 'Shenglan'], ['Auralis', 'Auralis'], ['青柚', 'Qingyou'], ['Novix', 'Novix']],
        productTypes: [['真无线蓝牙耳机', 'True Wireless Earbuds'], ['头戴式降噪耳机', 'Over-ear ANC Headphones'], ['开放式运动耳机', 'Open-ear Sport Earphones'], ['骨传导耳机', 'Bone Conduction Headphones']],
        sellingPoints: [['主动降噪', 'Active Noise Cancelling'], ['40小时续航', '40h Battery Life'], ['Hi-Res金标音质', 'Hi-Res Audio'], ['低延迟游戏模式', 'Low-latency Gaming Mode'], ['双设备连接', 'Dual-device Connection'], ['IPX5防汗', 'IPX5 Sweatproof']],
        skuDimensions: [{ name: '颜色', values: ['星空黑', '云雾白', '薄荷绿', '樱花粉'] }],
        attributes: { 蓝牙版本: ['5.3', '5.4'], 充电接口: ['Type-C'] },
        notes: ['通话采用三麦克风降噪，地铁里也能听清。', '支持APP自定义均衡器与固件升级。'],
      },
      {
        name: '笔记本电脑', nameEn: 'Laptops', skuPrefix: 'LAPTOP', priceYuan: [3999, 9999], brands: [...digitalBrands, ['墨岩', 'Moyan']],
        productTypes: [['轻薄笔记本电脑', 'Thin & Light Laptop'], ['游戏本', 'Gaming Laptop'], ['商务办公笔记本', 'Business Laptop'], ['二合一平板电脑', '2-in-1 Tablet PC']],
        sellingPoints: [['2.8K高刷屏', '2.8K High-refresh Display'], ['酷睿Ultra处理器', 'Intel Core Ultra'], ['RTX 4060独显', 'RTX 4060 Graphics'], ['1.2kg轻薄机身', '1.2kg Lightweight'], ['全金属机身', 'All-metal Chassis'], ['超长续航', 'All-day Battery']],
        skuDimensions: [{ name: '配置', values: ['16GB+512GB', '16GB+1TB', '32GB+1TB'], priceStep: 0.15 }, { name: '颜色', values: ['深空灰', '皓月银'] }],
        attributes: { 屏幕尺寸: ['14英寸', '15.6英寸', '16英寸'], 操作系统: ['Windows 11'] },
        notes: ['预装正版Office，开箱即用。', '双风扇散热，高负载下依然安静。'],
      },
    ],
  },
  {
    name: '家电', nameEn: 'Home Appliances', store: 'jixin', leaves: [
      {
        name: '厨房电器', nameEn: 'Kitchen Appliances', skuPrefix: 'KITCH', priceYuan: [129, 1299], brands: applianceBrands,
        productTypes: [['空气炸锅', 'Air Fryer'], ['电饭煲', 'Rice Cooker'], ['破壁料理机', 'High-speed Blender'], ['电热水壶', 'Electric Kettle'], ['多功能料理锅', 'Multi-function Cooker']],
        sellingPoints: [['可视化窗口', 'Visual Window'], ['不粘涂层易清洗', 'Non-stick Easy Clean'], ['智能预约', 'Smart Scheduling'], ['大容量家用', 'Family Size'], ['一键触控', 'One-touch Control'], ['低噪运行', 'Quiet Operation']],
        skuDimensions: [{ name: '款式', values: ['标准款', '升级款', '旗舰款'], priceStep: 0.25 }, { name: '颜色', values: ['奶油白', '雾霾蓝', '燕麦色'] }],
        attributes: applianceWarranty,
        notes: ['内胆食品级材质，可拆卸清洗。', '附赠食谱手册，新手也能轻松上手。'],
      },
      {
        name: '生活电器', nameEn: 'Household Appliances', skuPrefix: 'HOMEAP', priceYuan: [199, 2499], brands: applianceBrands,
        productTypes: [['无线吸尘器', 'Cordless Vacuum'], ['扫地机器人', 'Robot Vacuum'], ['加湿器', 'Humidifier'], ['空气净化器', 'Air Purifier'], ['电暖器', 'Space Heater']],
        sellingPoints: [['大吸力', 'Strong Suction'], ['静音设计', 'Silent Design'], ['APP智能控制', 'App Control'], ['除菌除螨', 'Anti-bacterial & Anti-mite'], ['长效续航', 'Long Runtime'], ['母婴可用', 'Baby-safe']],
        skuDimensions: [{ name: '版本', values: ['标准版', 'Pro版'], priceStep: 0.3 }, { name: '颜色', values: ['珍珠白', '太空灰'] }],
        attributes: applianceWarranty,
        notes: ['滤网可水洗，长期使用更省心。', '支持语音助手控制，离家也能远程开关。'],
      },
      {
        name: '个护电器', nameEn: 'Personal Care Appliances', skuPrefix: 'PCARE', priceYuan: [99, 999], brands: applianceBrands,
        productTypes: [['高速吹风机', 'High-speed Hair Dryer'], ['声波电动牙刷', 'Sonic Electric Toothbrush'], ['电动剃须刀', 'Electric Shaver'], ['自动卷发棒', 'Automatic Hair Curler']],
        sellingPoints: [['多档模式调节', 'Multi-mode'], ['长效续航', 'Long Battery Life'], ['智能感应', 'Smart Sensing'], ['IPX7全身水洗', 'IPX7 Washable'], ['磁吸充电', 'Magnetic Charging'], ['便携旅行', 'Travel-friendly']],
        skuDimensions: [{ name: '颜色', values: ['月光银', '玫瑰金', '曜石黑', '薄雾紫'] }],
        attributes: { 售后服务: ['全国联保1年', '全国联保2年'], 产地: ['广东深圳', '浙江宁波'] },
        notes: ['小巧机身可收纳进洗漱包。', '送礼自用皆宜，含精美礼盒包装。'],
      },
    ],
  },
  {
    name: '美妆', nameEn: 'Beauty', store: 'huayan', leaves: [
      {
        name: '口红', nameEn: 'Lipstick', skuPrefix: 'LIP', priceYuan: [89, 399], brands: beautyBrands,
        productTypes: [['丝绒哑光口红', 'Velvet Matte Lipstick'], ['水光唇釉', 'Glossy Lip Glaze'], ['雕花口红', 'Carved Lipstick'], ['有色润唇膏', 'Tinted Lip Balm']],
        sellingPoints: [['持久不沾杯', 'Long-wear Transfer-proof'], ['显白不挑皮', 'Flattering on All Skin Tones'], ['滋润不拔干', 'Moisturizing'], ['小金管礼盒装', 'Gift Box Edition'], ['新年限定', 'New Year Limited'], ['秋冬热门色', 'Trending Fall Shades']],
        skuDimensions: [{ name: '色号', values: ['#01 正红', '#02 豆沙', '#03 枫叶红', '#05 奶茶', '#06 砖红', '#08 蜜桃粉'] }],
        attributes: { 净含量: ['3.5g', '3.8g'], 适合肤质: ['任何肤质'], 产地: ['上海', '广东广州', '浙江杭州'] },
        notes: ['膏体细腻顺滑，一抹显色。', '添加植物油脂，素颜涂也好看。'],
      },
      {
        name: '护肤', nameEn: 'Skincare', skuPrefix: 'SKIN', priceYuan: [59, 459], brands: beautyBrands,
        productTypes: [['补水保湿面膜', 'Hydrating Sheet Mask'], ['修护精华液', 'Repair Serum'], ['保湿面霜', 'Moisturizing Cream'], ['氨基酸洁面乳', 'Amino Acid Cleanser'], ['清透防晒霜', 'Light Sunscreen']],
        sellingPoints: [['玻尿酸深层补水', 'Hyaluronic Deep Hydration'], ['烟酰胺提亮', 'Niacinamide Brightening'], ['敏感肌可用', 'For Sensitive Skin'], ['修护屏障', 'Barrier Repair'], ['清爽不油腻', 'Lightweight Non-greasy'], ['抗初老', 'Anti-aging']],
        skuDimensions: [{ name: '规格', values: ['单品装', '两件装', '三件套礼盒'], priceStep: 0.8 }],
        attributes: { 适合肤质: ['任何肤质', '混合肌', '干性肌', '敏感肌'], 保质期: ['3年'], 产地: ['上海', '广东广州', '云南昆明'] },
        notes: ['无酒精无香精配方，经皮肤科测试。', '建议早晚洁面后使用，坚持28天见效。'],
      },
      {
        name: '香水', nameEn: 'Fragrance', skuPrefix: 'SCENT', priceYuan: [129, 699], brands: beautyBrands,
        productTypes: [['淡香水', 'Eau de Toilette'], ['浓香水', 'Eau de Parfum'], ['香水小样套装', 'Discovery Set'], ['固体香膏', 'Solid Perfume']],
        sellingPoints: [['木质调', 'Woody'], ['白花香调', 'White Floral'], ['柑橘清新', 'Fresh Citrus'], ['留香持久', 'Long-lasting'], ['节日礼物', 'Gift-ready'], ['中性香', 'Unisex']],
        skuDimensions: [{ name: '容量', values: ['30ml', '50ml', '100ml'], priceStep: 0.5 }],
        attributes: { 适用人群: ['女士', '男士', '中性'], 产地: ['法国', '上海'] },
        notes: ['前调明亮，尾调温柔，适合日常通勤。', '附赠试香卡与礼品袋。'],
      },
    ],
  },
  {
    name: '服饰', nameEn: 'Apparel', store: 'huayan', leaves: [
      {
        name: '女装', nameEn: "Women's Clothing", skuPrefix: 'WOMEN', priceYuan: [69, 599], brands: apparelBrands,
        productTypes: [['法式碎花连衣裙', 'French Floral Dress'], ['羊毛针织开衫', 'Wool Knit Cardigan'], ['高腰阔腿裤', 'High-waist Wide-leg Pants'], ['短款羽绒服', 'Cropped Down Jacket'], ['纯棉白衬衫', 'Cotton White Shirt']],
        sellingPoints: [['显瘦百搭', 'Slimming & Versatile'], ['2025新款', '2025 New Arrival'], ['通勤气质', 'Office Chic'], ['宽松慵懒风', 'Relaxed Fit'], ['垂感面料', 'Drapey Fabric'], ['小个子友好', 'Petite-friendly']],
        skuDimensions: [{ name: '颜色', values: ['黑色', '米白', '雾霾蓝', '燕麦色'] }, { name: '尺码', values: ['S', 'M', 'L', 'XL'] }],
        attributes: { 版型: ['宽松', '修身', '常规'], 产地: clothingOrigins },
        notes: ['版型经过多轮试穿调整，建议按平时尺码选购。', '可机洗，建议反面低温洗涤。'],
      },
      {
        name: '男装', nameEn: "Men's Clothing", skuPrefix: 'MEN', priceYuan: [59, 699], brands: apparelBrands,
        productTypes: [['纯棉圆领T恤', 'Cotton Crew-neck Tee'], ['商务休闲衬衫', 'Smart Casual Shirt'], ['工装夹克', 'Utility Jacket'], ['直筒牛仔裤', 'Straight-leg Jeans'], ['连帽卫衣', 'Hoodie']],
        sellingPoints: [['重磅面料', 'Heavyweight Fabric'], ['免烫抗皱', 'Non-iron'], ['宽松潮流', 'Loose Streetwear Fit'], ['四季可穿', 'All-season'], ['弹力修身', 'Stretch Slim Fit'], ['休闲百搭', 'Easy Casual']],
        skuDimensions: [{ name: '颜色', values: ['黑色', '白色', '藏青', '卡其'] }, { name: '尺码', values: ['M', 'L', 'XL', 'XXL'] }],
        attributes: { 版型: ['宽松', '修身', '常规'], 产地: clothingOrigins },
        notes: ['面料经预缩处理，洗后不易变形。', '肩线与袖长按亚洲身型设计。'],
      },
    ],
  },
  {
    name: '鞋靴', nameEn: 'Shoes', store: 'huayan', leaves: [
      {
        name: '运动鞋', nameEn: 'Sneakers', skuPrefix: 'SNEAK', priceYuan: [199, 1099], brands: shoeBrands,
        productTypes: [['跑步鞋', 'Running Shoes'], ['篮球鞋', 'Basketball Shoes'], ['复古板鞋', 'Retro Court Sneakers'], ['轻量徒步鞋', 'Light Hiking Shoes']],
        sellingPoints: [['轻量缓震', 'Lightweight Cushioning'], ['透气网面', 'Breathable Mesh'], ['防滑耐磨', 'Non-slip & Durable'], ['碳板助推', 'Carbon Plate'], ['情侣款', 'Couple Style'], ['百搭潮流', 'Trendy & Versatile']],
        skuDimensions: [{ name: '颜色', values: ['黑白', '全白', '灰蓝'] }, { name: '尺码', values: ['38', '39', '40', '41', '42', '43'] }],
        attributes: shoeAttributes(['网布', '飞织', '超纤皮']),
        notes: ['鞋码标准，脚背较高建议拍大一码。', '中底回弹有力，适合日常慢跑与通勤。'],
      },
      {
        name: '休闲鞋', nameEn: 'Casual Shoes', skuPrefix: 'CASUAL', priceYuan: [129, 699], brands: shoeBrands,
        productTypes: [['乐福鞋', 'Loafers'], ['帆布鞋', 'Canvas Shoes'], ['一脚蹬懒人鞋', 'Slip-on Shoes'], ['玛丽珍鞋', 'Mary Jane Shoes']],
        sellingPoints: [['真皮软底', 'Leather Soft Sole'], ['舒适不累脚', 'All-day Comfort'], ['内增高', 'Hidden Lift'], ['复古英伦风', 'Vintage British Style'], ['轻便透气', 'Light & Breathable']],
        skuDimensions: [{ name: '颜色', values: ['黑色', '米白', '棕色'] }, { name: '尺码', values: ['35', '36', '37', '38', '39', '40'] }],
        attributes: shoeAttributes(['头层牛皮', '帆布', '超纤皮']),
        notes: ['鞋垫加厚乳胶，久走不累。', '经典配色，搭配裙装裤装都合适。'],
      },
      {
        name: '靴子', nameEn: 'Boots', skuPrefix: 'BOOT', priceYuan: [199, 999], brands: shoeBrands,
        productTypes: [['切尔西短靴', 'Chelsea Boots'], ['马丁靴', 'Combat Boots'], ['雪地靴', 'Snow Boots'], ['长筒骑士靴', 'Knee-high Riding Boots']],
        sellingPoints: [['加绒保暖', 'Fleece-lined'], ['防水防滑', 'Waterproof Non-slip'], ['头层牛皮', 'Genuine Leather'], ['厚底显高', 'Platform Sole'], ['秋冬新款', 'New Fall/Winter Style']],
        skuDimensions: [{ name: '颜色', values: ['黑色', '棕色'] }, { name: '尺码', values: ['36', '37', '38', '39', '40'] }],
        attributes: shoeAttributes(['头层牛皮', '翻毛皮', '超纤皮']),
        notes: ['侧边拉链设计，穿脱方便。', '大底采用橡胶防滑纹路，雨雪天也安心。'],
      },
    ],
  },
  {
    name: '箱包', nameEn: 'Bags & Luggage', store: 'huayan', leaves: [
      {
        name: '双肩包', nameEn: 'Backpacks', skuPrefix: 'PACK', priceYuan: [99, 599], brands: bagBrands,
        productTypes: [['城市通勤双肩包', 'City Commuter Backpack'], ['旅行背包', 'Travel Backpack'], ['学生书包', 'Student Backpack'], ['摄影双肩包', 'Camera Backpack']],
        sellingPoints: [['大容量防泼水', 'Large Capacity Water-repellent'], ['15.6寸电脑包', 'Fits 15.6" Laptop'], ['USB充电口', 'USB Charging Port'], ['减压背负', 'Ergonomic Straps'], ['防盗拉链', 'Anti-theft Zipper'], ['轻量化', 'Lightweight']],
        skuDimensions: [{ name: '颜色', values: ['曜石黑', '深空灰', '军绿色', '雾蓝'] }],
        attributes: { 材质: ['尼龙', '牛津布', '聚酯纤维'], 产地: ['浙江', '广东广州', '福建泉州'] },
        notes: ['多隔层分区收纳，证件钥匙各归其位。', '背板透气网面，夏天背着不闷。'],
      },
      {
        name: '行李箱', nameEn: 'Suitcases', skuPrefix: 'LUGG', priceYuan: [199, 1199], brands: bagBrands,
        productTypes: [['铝框拉杆箱', 'Aluminum-frame Suitcase'], ['PC万向轮行李箱', 'PC Spinner Luggage'], ['轻便登机箱', 'Carry-on Suitcase']],
        sellingPoints: [['静音万向轮', 'Silent Spinner Wheels'], ['TSA海关锁', 'TSA Lock'], ['超轻耐摔', 'Ultralight & Tough'], ['前开口设计', 'Front-opening'], ['可扩容', 'Expandable']],
        skuDimensions: [{ name: '尺寸', values: ['20英寸', '24英寸', '28英寸'], priceStep: 0.2 }, { name: '颜色', values: ['象牙白', '曜石黑', '雾霾蓝'] }],
        attributes: { 材质: ['PC', '铝镁合金+PC'], 产地: ['浙江平湖', '广东广州'] },
        notes: ['20寸可直接登机，拉杆多档调节。', '箱体五年质保，轮子终身免费更换。'],
      },
      {
        name: '女包', nameEn: 'Handbags', skuPrefix: 'HBAG', priceYuan: [129, 999], brands: bagBrands,
        productTypes: [['托特包', 'Tote Bag'], ['斜挎小方包', 'Crossbody Bag'], ['腋下包', 'Shoulder Bag'], ['水桶包', 'Bucket Bag']],
        sellingPoints: [['头层牛皮', 'Genuine Cowhide'], ['通勤百搭', 'Everyday Commuter'], ['小众设计', 'Indie Design'], ['大容量', 'Roomy'], ['轻奢质感', 'Affordable Luxury']],
        skuDimensions: [{ name: '颜色', values: ['黑色', '焦糖色', '奶白', '酒红'] }],
        attributes: { 材质: ['头层牛皮', '超纤皮', '帆布'], 产地: ['广东广州', '河北白沟'] },
        notes: ['五金件防氧化处理，久用不掉色。', '附赠可调节肩带，手提斜挎两种背法。'],
      },
    ],
  },
  {
    name: '食品', nameEn: 'Food', store: 'linjia', leaves: [
      {
        name: '零食', nameEn: 'Snacks', skuPrefix: 'SNACK', priceYuan: [9.9, 39], brands: [['三只仓鼠', 'Three Hamsters'], ['良品坊', 'Liangpinfang'], ['味小集', 'Weixiaoji'], ['山野佳', 'Shanyejia']],
        productTypes: [['每日坚果', 'Daily Mixed Nuts'], ['手撕牛肉干', 'Shredded Beef Jerky'], ['海苔脆片', 'Seaweed Crisps'], ['芒果干', 'Dried Mango'], ['辣条大礼包', 'Spicy Strips Gift Pack'], ['蛋黄酥', 'Egg Yolk Pastry']],
        sellingPoints: [['独立小包装', 'Individually Wrapped'], ['办公室零食', 'Office Snack'], ['0添加蔗糖', 'No Added Sugar'], ['网红爆款', 'Viral Favorite'], ['年货礼盒', 'New Year Gift Box'], ['香辣过瘾', 'Hot & Spicy']],
        skuDimensions: [{ name: '规格', values: ['250g', '500g', '1kg'], priceStep: 0.6 }],
        attributes: { 保质期: ['180天', '270天', '12个月'], 产地: ['福建厦门', '湖南长沙', '四川成都', '安徽芜湖'], 储存方式: ['常温避光'] },
        notes: ['当季原料新鲜生产，开袋即食。', '追剧加班必备，一口一个停不下来。'],
      },
      {
        name: '茶叶', nameEn: 'Tea', skuPrefix: 'TEA', priceYuan: [39, 499], brands: [['云栖', 'Yunqi'], ['茗山坊', 'Mingshanfang'], ['大佑', 'Dayou'], ['白露茶社', 'Bailu Tea House']],
        productTypes: [['明前龙井', 'Pre-Qingming Longjing'], ['武夷山大红袍', 'Wuyi Da Hong Pao'], ['云南普洱熟茶', 'Yunnan Ripe Pu-erh'], ['福鼎白茶', 'Fuding White Tea'], ['茉莉花茶', 'Jasmine Tea'], ['正山小种红茶', 'Lapsang Souchong']],
        sellingPoints: [['2025新茶', '2025 Harvest'], ['特级', 'Premium Grade'], ['礼盒装', 'Gift Box'], ['口粮茶', 'Everyday Tea'], ['高山茶园', 'High-mountain Garden'], ['传统工艺', 'Traditional Craft']],
        skuDimensions: [{ name: '规格', values: ['100g', '250g', '500g'], priceStep: 1.0 }],
        attributes: { 保质期: ['18个月', '36个月'], 储存方式: ['密封避光防潮'] },
        notes: ['汤色清亮，回甘持久，耐冲泡。', '每批茶叶均有质检报告，可溯源到茶园。'],
      },
      {
        name: '生鲜水果', nameEn: 'Fresh Fruit', skuPrefix: 'FRUIT', priceYuan: [19.9, 99], brands: [['果园直送', 'Orchard Direct'], ['鲜丰', 'Xianfeng'], ['田园记', 'Tianyuanji'], ['鲜果时光', 'Fresh Fruit Time']],
        productTypes: [['海南贵妃芒', 'Hainan Guifei Mango'], ['烟台红富士苹果', 'Yantai Fuji Apples'], ['赣南脐橙', 'Gannan Navel Oranges'], ['阳光玫瑰葡萄', 'Shine Muscat Grapes'], ['智利车厘子', 'Chilean Cherries'], ['丹东草莓', 'Dandong Strawberries']],
        sellingPoints: [['现摘现发', 'Picked & Shipped Fresh'], ['产地直发', 'Direct from Origin'], ['坏果包赔', 'Bad Fruit Refunded'], ['当季新鲜', 'In Season'], ['顺丰冷链', 'Cold-chain Delivery'], ['精选大果', 'Select Large Fruit']],
        skuDimensions: [{ name: '规格', values: ['2.5kg装', '5kg装'], priceStep: 0.8 }, { name: '等级', values: ['标准果', '精品大果'], priceStep: 0.3 }],
        attributes: { 储存方式: ['冷藏'], 配送方式: ['顺丰快递', '冷链物流'] },
        notes: ['收到后请尽快开箱，冷藏保存口感更佳。', '坏果拍照联系客服，按个数赔付。'],
      },
    ],
  },
  {
    name: '母婴', nameEn: 'Mother & Baby', store: 'linjia', leaves: [
      {
        name: '尿裤湿巾', nameEn: 'Diapers & Wipes', skuPrefix: 'DIAPER', priceYuan: [59, 199], brands: babyBrands,
        productTypes: [['纸尿裤', 'Diapers'], ['拉拉裤', 'Pull-up Pants'], ['夜用拉拉裤', 'Overnight Pull-ups'], ['成长裤', 'Training Pants']],
        sellingPoints: [['超薄透气', 'Ultra-thin Breathable'], ['12小时干爽', '12h Dryness'], ['敏感肌适用', 'Gentle on Sensitive Skin'], ['大包装囤货', 'Value Bulk Pack'], ['弱酸亲肤', 'pH-balanced']],
        skuDimensions: [{ name: '尺码', values: ['S', 'M', 'L', 'XL', 'XXL'] }],
        attributes: { 包装: ['箱装', '袋装'], 产地: ['福建晋江', '江苏苏州', '日本'] },
        notes: ['3D立体护围，防侧漏更安心。', '尿显线提示更换时机，新手爸妈也不慌。'],
      },
      {
        name: '奶粉辅食', nameEn: 'Formula & Baby Food', skuPrefix: 'FORMULA', priceYuan: [39, 299], brands: babyBrands,
        productTypes: [['婴幼儿配方奶粉', 'Infant Formula'], ['婴儿高铁米粉', 'Iron-rich Baby Cereal'], ['有机果泥', 'Organic Fruit Puree'], ['儿童营养面条', 'Kids Nutritious Noodles']],
        sellingPoints: [['A2蛋白', 'A2 Protein'], ['无添加盐糖', 'No Added Salt or Sugar'], ['新西兰奶源', 'New Zealand Milk'], ['添加DHA', 'With DHA'], ['易冲调', 'Easy to Mix']],
        skuDimensions: [{ name: '规格', values: ['单罐装', '3罐装'], priceStep: 1.8 }],
        attributes: { 适用年龄: ['6个月以上', '1-3岁'], 保质期: ['18个月', '24个月'] },
        notes: ['每批次均经第三方检测，放心给宝宝吃。', '建议遵医嘱按月龄逐步添加。'],
      },
      {
        name: '童装', nameEn: "Kids' Clothing", skuPrefix: 'KIDS', priceYuan: [49, 299], brands: babyBrands,
        productTypes: [['儿童卫衣', 'Kids Hoodie'], ['婴儿连体衣', 'Baby Romper'], ['儿童羽绒服', 'Kids Down Jacket'], ['女童连衣裙', 'Girls Dress']],
        sellingPoints: [['A类纯棉', 'Class A Cotton'], ['宝宝亲肤', 'Soft on Baby Skin'], ['卡通印花', 'Cartoon Print'], ['秋冬加厚', 'Thickened for Winter'], ['洋气百搭', 'Stylish']],
        skuDimensions: [{ name: '颜色', values: ['燕麦色', '粉色', '浅蓝'] }, { name: '尺码', values: ['80cm', '90cm', '100cm', '110cm', '120cm'] }],
        attributes: { 材质: ['纯棉', '棉混纺'], 安全等级: ['A类'] },
        notes: ['无荧光剂，缝线平整不磨皮肤。', '建议选大一码，宝宝长得快能多穿一季。'],
      },
    ],
  },
  {
    name: '家居', nameEn: 'Home', store: 'linjia', leaves: [
      {
        name: '床上用品', nameEn: 'Bedding', skuPrefix: 'BED', priceYuan: [99, 799], brands: homeBrands,
        productTypes: [['纯棉四件套', 'Cotton 4-piece Bedding Set'], ['桑蚕丝被', 'Mulberry Silk Duvet'], ['白鹅绒羽绒被', 'White Goose Down Duvet'], ['冰丝凉席', 'Ice-silk Summer Mat']],
        sellingPoints: [['新疆长绒棉', 'Xinjiang Long-staple Cotton'], ['亲肤裸睡', 'Skin-friendly'], ['A类母婴级', 'Class A Baby-safe'], ['四季通用', 'All-season'], ['抗菌防螨', 'Anti-bacterial Anti-mite']],
        skuDimensions: [{ name: '尺寸', values: ['1.5m床', '1.8m床', '2.0m床'], priceStep: 0.15 }, { name: '颜色', values: ['浅灰', '奶咖', '雾蓝'] }],
        attributes: { 工艺: ['活性印染', '纯色', '提花'], 产地: ['江苏南通', '浙江湖州'] },
        notes: ['南通家纺产业带直供，做工扎实。', '首次使用前建议清洗一遍，更加柔软。'],
      },
      {
        name: '收纳整理', nameEn: 'Storage', skuPrefix: 'STORE', priceYuan: [19.9, 199], brands: homeBrands,
        productTypes: [['衣物收纳箱', 'Clothes Storage Box'], ['桌面收纳盒', 'Desktop Organizer'], ['真空压缩袋', 'Vacuum Storage Bags'], ['多层置物架', 'Multi-tier Shelf']],
        sellingPoints: [['可折叠', 'Foldable'], ['大容量', 'Large Capacity'], ['免安装', 'No Assembly'], ['防潮防尘', 'Moisture & Dust Proof'], ['可叠加', 'Stackable']],
        skuDimensions: [{ name: '规格', values: ['单个装', '3个装'], priceStep: 1.5 }, { name: '颜色', values: ['白色', '灰色'] }],
        attributes: { 产地: ['浙江台州', '广东汕头'], 包装: ['纸箱'] },
        notes: ['换季收纳好帮手，衣柜瞬间清爽。', '边角圆润处理，有小孩的家庭也放心。'],
      },
      {
        name: '餐具厨具', nameEn: 'Cookware & Tableware', skuPrefix: 'COOK', priceYuan: [39, 699], brands: homeBrands,
        productTypes: [['不粘炒锅', 'Non-stick Wok'], ['陶瓷餐具套装', 'Ceramic Dinnerware Set'], ['304不锈钢汤锅', '304 Stainless Stockpot'], ['铸铁珐琅锅', 'Enameled Cast Iron Pot']],
        sellingPoints: [['少油烟', 'Low Smoke'], ['电磁炉通用', 'Induction Compatible'], ['釉下彩', 'Underglaze Color'], ['可进洗碗机', 'Dishwasher Safe'], ['乔迁礼物', 'Housewarming Gift']],
        skuDimensions: [{ name: '规格', values: ['标准款', '加大款'], priceStep: 0.3 }, { name: '颜色', values: ['奶白', '墨绿', '砖红'] }],
        attributes: { 产地: ['广东潮州', '浙江永康', '江西景德镇'], 售后服务: ['一年质保'] },
        notes: ['燃气灶电磁炉通用，受热均匀。', '食品级材质，通过国家检测标准。'],
      },
    ],
  },
  {
    name: '运动户外', nameEn: 'Sports & Outdoors', store: 'huayan', leaves: [
      {
        name: '健身器材', nameEn: 'Fitness Equipment', skuPrefix: 'FIT', priceYuan: [29.9, 349], brands: sportsBrands,
        productTypes: [['TPE瑜伽垫', 'TPE Yoga Mat'], ['弹力带套装', 'Resistance Band Set'], ['计数跳绳', 'Counting Jump Rope'], ['可调节哑铃', 'Adjustable Dumbbells'], ['筋膜枪', 'Massage Gun']],
        sellingPoints: [['加厚防滑', 'Thick Non-slip'], ['居家健身', 'Home Workout'], ['初学者友好', 'Beginner-friendly'], ['便携收纳', 'Portable'], ['静音设计', 'Quiet Design']],
        skuDimensions: [{ name: '颜色', values: ['薄荷绿', '香芋紫', '曜石黑'] }, { name: '规格', values: ['标准款', '加厚款'], priceStep: 0.2 }],
        attributes: { 适用场景: ['居家', '健身房'], 产地: ['江苏南通', '浙江宁波'] },
        notes: ['附赠训练课程二维码，跟练更有效。', '环保材质无异味，拆封即可使用。'],
      },
      {
        name: '户外装备', nameEn: 'Outdoor Gear', skuPrefix: 'OUTDR', priceYuan: [59, 999], brands: sportsBrands,
        productTypes: [['自动速开帐篷', 'Instant Pop-up Tent'], ['折叠露营椅', 'Folding Camp Chair'], ['碳素登山杖', 'Carbon Trekking Poles'], ['户外冲锋衣', 'Hardshell Jacket'], ['露营推车', 'Camping Wagon']],
        sellingPoints: [['防风防雨', 'Wind & Rain Proof'], ['轻量便携', 'Light & Portable'], ['一秒速开', 'Opens in Seconds'], ['铝合金支架', 'Aluminum Frame'], ['精致露营', 'Glamping Ready']],
        skuDimensions: [{ name: '颜色', values: ['沙色', '军绿', '燕麦白'] }],
        attributes: { 适用场景: ['露营', '徒步', '登山'], 产地: ['浙江宁波', '福建厦门'] },
        notes: ['收纳后体积小巧，放进后备箱不占地方。', '经过暴雨测试，周末露营放心出发。'],
      },
      {
        name: '运动服饰', nameEn: 'Sportswear', skuPrefix: 'SPORTW', priceYuan: [59, 499], brands: sportsBrands,
        productTypes: [['速干运动T恤', 'Quick-dry Sports Tee'], ['高腰瑜伽裤', 'High-waist Yoga Leggings'], ['高强度运动文胸', 'High-support Sports Bra'], ['跑步短裤', 'Running Shorts'], ['防风运动外套', 'Windproof Training Jacket']],
        sellingPoints: [['冰丝凉感', 'Ice-silk Cooling'], ['高弹裸感', 'High-stretch Second Skin'], ['吸湿速干', 'Moisture-wicking'], ['反光条夜跑', 'Reflective for Night Runs'], ['防走光', 'Squat-proof']],
        skuDimensions: [{ name: '颜色', values: ['黑色', '灰色', '雾蓝'] }, { name: '尺码', values: ['S', 'M', 'L', 'XL'] }],
        attributes: { 材质: ['锦纶+氨纶', '聚酯纤维'], 产地: clothingOrigins },
        notes: ['四向弹力面料，深蹲跑跳都不束缚。', '平锁缝工艺，长时间运动不磨皮肤。'],
      },
    ],
  },
  {
    name: '图书', nameEn: 'Books', store: SELF_OPERATED_KEY, leaves: [
      {
        name: '文学小说', nameEn: 'Fiction & Literature', skuPrefix: 'FICT', priceYuan: [29.9, 89], brands: publishers,
        productTypes: [['《山海来信》', '"Letters from the Mountains"'], ['《长夜灯火》', '"Lamps in the Long Night"'], ['《南方以南》', '"South of the South"'], ['《雾中的城》', '"City in the Fog"'], ['《十二封家书》', '"Twelve Letters Home"'], ['《河流的尽头》', '"Where the River Ends"']],
        sellingPoints: [['文学奖得主新作', 'New Work by Prize Winner'], ['典藏版', "Collector's Edition"], ['豆瓣高分', 'Highly Rated'], ['作者亲笔签名', 'Signed by the Author'], ['附赠藏书票', 'Bookplate Included']],
        skuDimensions: [{ name: '装帧', values: ['平装', '精装'], priceStep: 0.4 }],
        attributes: bookAttributes,
        notes: ['一部关于故乡与远方的长篇小说，文字温柔而有力量。', '正版图书，塑封发货，破损包换。'],
      },
      {
        name: '童书', nameEn: "Children's Books", skuPrefix: 'KIDBK', priceYuan: [19.9, 99], brands: publishers,
        productTypes: [['《小熊的四季》绘本', '"Little Bear\'s Seasons" Picture Book'], ['儿童百科全书', "Children's Encyclopedia"], ['恐龙立体翻翻书', 'Dinosaur Pop-up Flap Book'], ['拼音识字卡', 'Pinyin Flash Cards'], ['科学实验图鉴', 'Illustrated Science Experiments']],
        sellingPoints: [['3-6岁', 'Ages 3-6'], ['精装硬壳', 'Hardcover'], ['注音版', 'With Pinyin'], ['亲子共读', 'Read Together'], ['点读版', 'Audio Pen Compatible']],
        skuDimensions: [{ name: '版本', values: ['单册', '套装'], priceStep: 1.5 }],
        attributes: bookAttributes,
        notes: ['大字大图，圆角设计不伤小手。', '环保大豆油墨印刷，孩子翻阅更安心。'],
      },
      {
        name: '经管励志', nameEn: 'Business & Self-help', skuPrefix: 'BIZBK', priceYuan: [39, 99], brands: publishers,
        productTypes: [['《复利思维》', '"Compound Thinking"'], ['《从零到一做产品》', '"Building Products from Zero"'], ['《高效能沟通》', '"Effective Communication"'], ['《小店经营笔记》', '"Notes on Running a Small Shop"'], ['《长期主义的力量》', '"The Power of the Long Game"']],
        sellingPoints: [['畅销10万册', '100k Copies Sold'], ['职场必读', 'Career Essential'], ['创业者推荐', 'Founder-recommended'], ['案例详解', 'With Case Studies'], ['新版修订', 'Revised Edition']],
        skuDimensions: [{ name: '装帧', values: ['平装', '精装'], priceStep: 0.4 }],
        attributes: bookAttributes,
        notes: ['用通俗的语言讲清楚复杂的商业逻辑。', '每章附思考题与行动清单，读完就能用。'],
      },
    ],
  },
  {
    name: '宠物', nameEn: 'Pets', store: 'linjia', leaves: [
      {
        name: '猫粮狗粮', nameEn: 'Pet Food', skuPrefix: 'PETFD', priceYuan: [39, 269], brands: petBrands,
        productTypes: [['全价成猫粮', 'Complete Adult Cat Food'], ['幼猫粮', 'Kitten Food'], ['全价犬粮', 'Complete Dog Food'], ['冻干猫零食', 'Freeze-dried Cat Treats'], ['主食猫罐头', 'Wet Cat Food']],
        sellingPoints: [['无谷配方', 'Grain-free'], ['高蛋白', 'High Protein'], ['鲜肉添加', 'Fresh Meat'], ['美毛护肤', 'Healthy Coat'], ['挑嘴适用', 'For Picky Eaters']],
        skuDimensions: [{ name: '规格', values: ['1.5kg', '4kg', '10kg'], priceStep: 1.4 }],
        attributes: { 保质期: ['12个月', '18个月'], 产地: ['山东烟台', '河北邢台', '新西兰'] },
        notes: ['肉源可追溯，每批次检测营养成分。', '换粮建议7天循序渐进，肠胃更适应。'],
      },
      {
        name: '宠物用品', nameEn: 'Pet Supplies', skuPrefix: 'PETSP', priceYuan: [29.9, 699], brands: petBrands,
        productTypes: [['全封闭猫砂盆', 'Enclosed Litter Box'], ['豆腐猫砂', 'Tofu Cat Litter'], ['宠物自动喂食器', 'Automatic Pet Feeder'], ['实木猫爬架', 'Wooden Cat Tree'], ['狗狗牵引绳', 'Dog Leash']],
        sellingPoints: [['防外溅', 'Anti-splash'], ['除臭抑菌', 'Odor Control'], ['APP远程投喂', 'Remote Feeding via App'], ['稳固耐抓', 'Sturdy & Scratch-proof'], ['可冲厕所', 'Flushable']],
        skuDimensions: [{ name: '颜色', values: ['奶白', '浅灰', '樱花粉'] }],
        attributes: { 产地: ['上海', '江苏苏州', '山东青岛'] },
        notes: ['主子体验官实测好评，铲屎更轻松。', '边角打磨圆滑，不伤宠物爪子。'],
      },
    ],
  },
];

// ---------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------

type Random = () => number;

/** FNV-1a hash, used to derive a stable seed from a string. */
function seedFrom(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

function randomInt(random: Random, exclusiveMax: number): number {
  return Math.floor(random() * exclusiveMax);
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[randomInt(random, items.length)]!;
}

/** Rounds a yuan amount to a shelf price such as 9.9, 59.9, 129 or 1999, returned in fen. */
function shelfPriceFen(yuan: number): number {
  if (yuan < 20) return Math.max(1, Math.round(yuan)) * 100 - 10;
  if (yuan < 100) return Math.round(yuan / 10) * 1000 - 10;
  if (yuan < 1000) return Math.round(yuan / 10) * 1000 - 100;
  return Math.round(yuan / 100) * 10000 - 100;
}

/** Mostly healthy stock; roughly one SKU in sixty is sold out. */
function randomStock(random: Random): number {
  return random() < 0.016 ? 0 : 3 + randomInt(random, 498);
}

interface SkuVariant { attributes: Record<string, string>; priceFactor: number }

/** Picks a contiguous run of values from each dimension, keeping the cartesian product within the SKU limit. */
function pickSkuVariants(random: Random, dimensions: SkuDimension[]): SkuVariant[] {
  let variants: SkuVariant[] = [{ attributes: {}, priceFactor: 1 }];
  for (const dimension of dimensions) {
    const room = Math.floor(MAX_SKUS_PER_PRODUCT / variants.length);
    const count = 1 + randomInt(random, Math.min(room, dimension.values.length));
    const start = randomInt(random, dimension.values.length - count + 1);
    const chosen = dimension.values.slice(start, start + count);
    variants = variants.flatMap((variant) =>
      chosen.map((value, offset) => ({
        attributes: { ...variant.attributes, [dimension.name]: value },
        priceFactor: variant.priceFactor + (dimension.priceStep ?? 0) * (start + offset),
      })),
    );
  }
  return variants;
}

function buildSkus(random: Random, leaf: LeafCategorySpec, productNumber: number): DemoSku[] {
  const [minYuan, maxYuan] = leaf.priceYuan;
  const baseYuan = minYuan + random() * (maxYuan - minYuan);
  const productCode = `${leaf.skuPrefix}-${String(productNumber).padStart(3, '0')}`;
  return pickSkuVariants(random, leaf.skuDimensions).map((variant, index) => ({
    code: `${productCode}-${index + 1}`,
    attributes: variant.attributes,
    price: shelfPriceFen(baseYuan * variant.priceFactor),
    stock: randomStock(random),
  }));
}

function pickAttributes(random: Random, options: Record<string, string[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(options).map(([name, values]) => [name, pick(random, values)]));
}

/** Two distinct selling points, in list order so a pair never appears twice in swapped order. */
function pickSellingPoints(random: Random, points: Bilingual[]): [Bilingual, Bilingual] {
  const first = randomInt(random, points.length);
  let second = randomInt(random, points.length - 1);
  if (second >= first) second += 1;
  return first < second ? [points[first]!, points[second]!] : [points[second]!, points[first]!];
}

interface TitleParts { brand: Bilingual; productType: Bilingual; points: [Bilingual, Bilingual] }

function pickTitleParts(random: Random, leaf: LeafCategorySpec, productIndex: number): TitleParts {
  // Cycle brands and types so every leaf shows a spread of both; points supply the variety.
  const brand = leaf.brands[productIndex % leaf.brands.length]!;
  const productType = leaf.productTypes[(productIndex + randomInt(random, leaf.productTypes.length)) % leaf.productTypes.length]!;
  return { brand, productType, points: pickSellingPoints(random, leaf.sellingPoints) };
}

function chineseTitle({ brand, productType, points }: TitleParts): string {
  return `${brand[0]} ${productType[0]} ${points[0][0]} ${points[1][0]}`;
}

function englishTitle({ brand, productType, points }: TitleParts): string {
  return `${brand[1]} ${productType[1]}, ${points[0][1]}, ${points[1][1]}`;
}

function describe(random: Random, leaf: LeafCategorySpec, { brand, productType, points }: TitleParts): string {
  return `${brand[0]}${productType[0]}，${points[0][0]}，${points[1][0]}。${pick(random, leaf.notes)}`;
}

/** Every third product of a leaf goes to the self-operated store; the rest to the category's marketplace store. */
function merchantFor(top: TopCategorySpec, productIndex: number): MerchantKey {
  return productIndex % 3 === 0 ? SELF_OPERATED_KEY : top.store;
}

function buildLeafProducts(top: TopCategorySpec, leaf: LeafCategorySpec, usedTitles: Set<string>): DemoProduct[] {
  const category = `${top.name}/${leaf.name}`;
  const random = seededRandom(seedFrom(category));
  const products: DemoProduct[] = [];
  for (let index = 0; index < PRODUCTS_PER_LEAF; index++) {
    let parts = pickTitleParts(random, leaf, index);
    while (usedTitles.has(chineseTitle(parts))) parts = pickTitleParts(random, leaf, index);
    usedTitles.add(chineseTitle(parts));
    products.push({
      merchantKey: merchantFor(top, index),
      title: chineseTitle(parts),
      titleEn: englishTitle(parts),
      description: describe(random, leaf, parts),
      brand: parts.brand[0],
      category,
      attributes: pickAttributes(random, leaf.attributes),
      skus: buildSkus(random, leaf, index + 1),
    });
  }
  return products;
}

function buildProducts(): DemoProduct[] {
  const usedTitles = new Set<string>();
  return catalogSpec.flatMap((top) => top.leaves.flatMap((leaf) => buildLeafProducts(top, leaf, usedTitles)));
}

function buildCategories(): DemoCategory[] {
  return catalogSpec.flatMap((top) => [
    { path: top.name, nameEn: top.nameEn },
    ...top.leaves.map((leaf) => ({ path: `${top.name}/${leaf.name}`, nameEn: leaf.nameEn })),
  ]);
}

export const demoCategories: DemoCategory[] = buildCategories();

export const demoProducts: DemoProduct[] = buildProducts();

export function demoSummary(): { merchants: number; products: number; skus: number; categories: number } {
  return {
    merchants: demoMerchants.length,
    products: demoProducts.length,
    skus: demoProducts.reduce((total, product) => total + product.skus.length, 0),
    categories: demoCategories.length,
  };
}
