// The crowd rule editor: rows of conditions combined with all (全部满足) or any (任一满足), each row optionally
// negated; draftRule() turns the rows into the rule language of /admin/crowds and describeRule() reads one back.
import { parseYuan } from '../shared/money';
import {
  BEHAVIORS, LIFECYCLES, NUMERIC_FIELDS, PRICE_BANDS, valueLabel,
  type Behavior, type Condition, type NumericField, type Rule,
} from '../shared/people';
import { t, useI18n, type MsgKey } from '../i18n';

const KINDS = ['lifecycle', 'priceBand', 'channel', 'tag', 'numeric', 'behavior'] as const;
type RowKind = (typeof KINDS)[number];

export interface RuleRow {
  id: number; kind: RowKind; not: boolean;
  /** lifecycle, priceBand */ values: string[];
  /** channel, tag: comma separated */ text: string;
  field: NumericField; op: 'gte' | 'lte'; num: string;
  behavior: Behavior; category: string; brand: string; withinDays: string; minCount: string;
}

export interface RuleDraft { mode: 'all' | 'any'; rows: RuleRow[] }

let nextId = 1;
export function newRow(kind: RowKind = 'lifecycle', values: string[] = []): RuleRow {
  return {
    id: nextId++, kind, not: false, values, text: '', field: 'orders', op: 'gte', num: '',
    behavior: 'view', category: '', brand: '', withinDays: '30', minCount: '1',
  };
}

const splitList = (s: string) => s.split(/[,，\s]+/).map((x) => x.trim()).filter(Boolean);
const posInt = (s: string) => (/^\d+$/.test(s.trim()) && Number(s) > 0 ? Number(s) : undefined);

/** One row as a condition; null while it is incomplete. */
function rowRule(r: RuleRow): Rule | null {
  let c: Condition | null = null;
  if (r.kind === 'lifecycle' || r.kind === 'priceBand') c = r.values.length ? { field: r.kind, in: r.values } : null;
  else if (r.kind === 'channel' || r.kind === 'tag') c = splitList(r.text).length ? { field: r.kind, in: splitList(r.text) } : null;
  else if (r.kind === 'numeric') {
    const n = r.field === 'monetary' ? parseYuan(r.num) : /^\d+$/.test(r.num.trim()) ? Number(r.num) : null;
    c = n === null ? null : { field: r.field, [r.op]: n };
  } else {
    const withinDays = posInt(r.withinDays);
    const minCount = posInt(r.minCount);
    c = {
      behavior: r.behavior,
      ...(r.category.trim() ? { category: r.category.trim() } : {}),
      ...(r.brand.trim() ? { brand: r.brand.trim() } : {}),
      ...(withinDays ? { withinDays } : {}),
      ...(minCount ? { minCount } : {}),
    };
  }
  return c && r.not ? { not: c } : c;
}

/** The rule of the complete rows; null when no row is complete. */
export function draftRule(d: RuleDraft): Rule | null {
  const rules = d.rows.map(rowRule).filter((x): x is Rule => x !== null);
  if (rules.length === 0) return null;
  return d.mode === 'all' ? { all: rules } : { any: rules };
}

/** A rule in words: "生命周期：活跃 且 近30天浏览 美妆 ≥ 2 次". */
export function describeRule(rule: Rule, nested = false): string {
  if ('all' in rule || 'any' in rule) {
    const parts = 'all' in rule ? rule.all : rule.any;
    const text = parts.map((r) => describeRule(r, true)).join(t('all' in rule ? 'ruleAnd' : 'ruleOr'));
    return nested && parts.length > 1 ? `(${text})` : text;
  }
  if ('not' in rule) return `${t('ruleNot')}${describeRule(rule.not, true)}`;
  if ('behavior' in rule) {
    const what = [valueLabel('evt', rule.behavior), rule.category, rule.brand].filter(Boolean).join(' ');
    const days = rule.withinDays ? t('ruleWithinDays', { n: rule.withinDays }) : '';
    return `${days}${what} ≥ ${t('ruleTimes', { n: rule.minCount ?? 1 })}`;
  }
  const field = valueLabel('field', rule.field);
  if ('in' in rule) {
    const prefix = rule.field === 'lifecycle' ? 'lifecycle' : rule.field === 'priceBand' ? 'band' : rule.field;
    return `${field}：${rule.in.map((v) => valueLabel(prefix, v)).join(' / ')}`;
  }
  const show = (n: number) => (rule.field === 'monetary' ? `¥${n / 100}` : String(n));
  return [rule.gte !== undefined && `${field} ≥ ${show(rule.gte)}`, rule.lte !== undefined && `${field} ≤ ${show(rule.lte)}`].filter(Boolean).join(t('ruleAnd'));
}

export function RuleEditor({ draft, onChange }: { draft: RuleDraft; onChange: (d: RuleDraft) => void }) {
  const { t } = useI18n();
  const setRow = (row: RuleRow) => onChange({ ...draft, rows: draft.rows.map((r) => (r.id === row.id ? row : r)) });
  return (
    <div className="rule-editor" data-testid="rule-editor">
      <div className="rule-mode">
        <span className="muted">{t('ruleMatch')}</span>
        <div className="sort-buttons">
          {(['all', 'any'] as const).map((m) => (
            <button key={m} type="button" className={draft.mode === m ? 'on' : ''} aria-pressed={draft.mode === m}
              onClick={() => onChange({ ...draft, mode: m })} data-testid={`rule-mode-${m}`}>{t(m === 'all' ? 'ruleAll' : 'ruleAny')}</button>
          ))}
        </div>
      </div>
      {draft.rows.map((r) => (
        <RowEditor key={r.id} row={r} onChange={setRow} onRemove={() => onChange({ ...draft, rows: draft.rows.filter((x) => x.id !== r.id) })} />
      ))}
      <button type="button" className="btn btn-ghost btn-sm" onClick={() => onChange({ ...draft, rows: [...draft.rows, newRow()] })} data-testid="rule-add">{t('ruleAdd')}</button>
    </div>
  );
}

const KIND_LABELS: Record<RowKind, MsgKey> = {
  lifecycle: 'field_lifecycle', priceBand: 'field_priceBand', channel: 'field_channel', tag: 'field_tag', numeric: 'ruleNumeric', behavior: 'ruleBehavior',
};

function RowEditor({ row, onChange, onRemove }: { row: RuleRow; onChange: (r: RuleRow) => void; onRemove: () => void }) {
  const { t } = useI18n();
  const set = (patch: Partial<RuleRow>) => onChange({ ...row, ...patch });
  const toggle = (v: string) => set({ values: row.values.includes(v) ? row.values.filter((x) => x !== v) : [...row.values, v] });
  const complete = rowRule(row) !== null;
  return (
    <div className={`rule-row${complete ? '' : ' incomplete'}`} data-testid="rule-row">
      <select value={row.kind} onChange={(e) => set({ kind: e.target.value as RowKind })} className="rule-kind" data-testid="rule-kind">
        {KINDS.map((k) => <option key={k} value={k}>{t(KIND_LABELS[k])}</option>)}
      </select>
      <div className="rule-body">
        {(row.kind === 'lifecycle' || row.kind === 'priceBand') && (row.kind === 'lifecycle' ? LIFECYCLES : PRICE_BANDS).map((v) => (
          <button key={v} type="button" className={`chip${row.values.includes(v) ? ' on' : ''}`} aria-pressed={row.values.includes(v)}
            onClick={() => toggle(v)} data-testid={`rule-value-${v}`}>{valueLabel(row.kind === 'lifecycle' ? 'lifecycle' : 'band', v)}</button>
        ))}
        {(row.kind === 'channel' || row.kind === 'tag') && (
          <input value={row.text} onChange={(e) => set({ text: e.target.value })} data-testid="rule-text"
            placeholder={row.kind === 'channel' ? 'douyin, share' : 'category:美妆, brand:星曜'} />
        )}
        {row.kind === 'numeric' && (
          <>
            <select value={row.field} onChange={(e) => set({ field: e.target.value as NumericField })} data-testid="rule-field">
              {NUMERIC_FIELDS.map((f) => <option key={f} value={f}>{valueLabel('field', f)}</option>)}
            </select>
            <select value={row.op} onChange={(e) => set({ op: e.target.value as 'gte' | 'lte' })} className="rule-op" data-testid="rule-op">
              <option value="gte">≥</option><option value="lte">≤</option>
            </select>
            <input value={row.num} onChange={(e) => set({ num: e.target.value })} inputMode="decimal" className="rule-num" data-testid="rule-num"
              placeholder={row.field === 'monetary' ? t('ruleYuan') : '0'} />
          </>
        )}
        {row.kind === 'behavior' && (
          <>
            <select value={row.behavior} onChange={(e) => set({ behavior: e.target.value as Behavior })} data-testid="rule-behavior">
              {BEHAVIORS.map((b) => <option key={b} value={b}>{valueLabel('evt', b)}</option>)}
            </select>
            <input value={row.category} onChange={(e) => set({ category: e.target.value })} placeholder={t('ruleCategory')} data-testid="rule-category" />
            <input value={row.brand} onChange={(e) => set({ brand: e.target.value })} placeholder={t('ruleBrand')} data-testid="rule-brand" />
            <label className="rule-inline">{t('ruleWithin')}<input value={row.withinDays} onChange={(e) => set({ withinDays: e.target.value })} inputMode="numeric" className="rule-num" data-testid="rule-days" />{t('ruleDays')}</label>
            <label className="rule-inline">≥<input value={row.minCount} onChange={(e) => set({ minCount: e.target.value })} inputMode="numeric" className="rule-num" data-testid="rule-min" />{t('ruleTimesUnit')}</label>
          </>
        )}
      </div>
      <label className="rule-not"><input type="checkbox" checked={row.not} onChange={(e) => set({ not: e.target.checked })} data-testid="rule-not" />{t('ruleExclude')}</label>
      <button type="button" className="modal-x" onClick={onRemove} aria-label={t('delete')} data-testid="rule-remove">×</button>
    </div>
  );
}
