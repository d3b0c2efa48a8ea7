// Site header: utility bar, logo, search, cart, category menu.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Link, navigate, useLocation } from './router';
import { isOperator, merchantIds, useAuth } from './auth';
import { useCart } from './cart';
import { childrenOf, topCategories, useCategories } from './catalog';
import { fetchSuggestions, searchUrl } from './search';
import { useI18n } from '../i18n';

export function Header() {
  return (
    <header className="site-header">
      <TopBar />
      <div className="header-main container">
        <Link to="/" className="logo" aria-label="全域 Quanyu">
          <span className="logo-mark">全</span>
          <span className="logo-text"><b>全域</b><small>Quanyu</small></span>
        </Link>
        <SearchBox />
        <CartButton />
      </div>
      <CategoryBar />
    </header>
  );
}

function TopBar() {
  const { t, lang, setLang } = useI18n();
  const { user, signOut } = useAuth();
  const { path } = useLocation();
  const next = encodeURIComponent(path + location.search);
  return (
    <div className="topbar">
      <div className="container topbar-inner">
        <div className="topbar-left">
          {user ? (
            <>
              <span data-testid="hello">{t('hello', { name: user.name || user.email })}</span>
              <button className="link-btn" data-testid="logout" onClick={() => { signOut(); navigate('/'); }}>{t('logout')}</button>
            </>
          ) : (
            <>
              <Link to={`/login?next=${next}`} className="accent" data-testid="login-link">{t('login')}</Link>
              <Link to={`/login?mode=register&next=${next}`}>{t('register')}</Link>
            </>
          )}
        </div>
        <nav className="topbar-right">
          <Link to="/orders">{t('myOrders')}</Link>
          <Link to="/me/favorites" data-testid="nav-favorites">{t('myFavorites')}</Link>
          <Link to="/me/coupons" data-testid="nav-my-coupons">{t('promoMyCoupons')}</Link>
          <Link to="/me/points" data-testid="nav-my-points">{t('myPoints')}</Link>
          <Link to="/me/presales" data-testid="nav-presales">{t('myPresales')}</Link>
          <Link to="/me/notes" data-testid="nav-my-notes">{t('myNotes')}</Link>
          <Link to="/me/privacy" data-testid="nav-privacy">{t('privacyCentre')}</Link>
          {(merchantIds(user).length > 0 || isOperator(user)) && <Link to="/merchant">{t('merchantConsole')}</Link>}
          {isOperator(user) && <Link to="/admin">{t('adminConsole')}</Link>}
          <span className="lang-switch" data-testid="lang-switch">
            <button className={lang === 'zh' ? 'on' : ''} onClick={() => setLang('zh')}>中文</button>
            <span>/</span>
            <button className={lang === 'en' ? 'on' : ''} onClick={() => setLang('en')}>EN</button>
          </span>
        </nav>
      </div>
    </div>
  );
}

const SUGGEST_DELAY_MS = 120;

/** Header search with an autocomplete dropdown (debounced, keyboard and mouse). */
function SearchBox() {
  const { t } = useI18n();
  const { path, search } = useLocation();
  const current = path === '/search' ? new URLSearchParams(search).get('q') ?? '' : '';
  const [q, setQ] = useState(current);
  const [items, setItems] = useState<string[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const typed = useRef(false);
  useEffect(() => { setQ(current); setOpen(false); }, [current, path]);

  useEffect(() => {
    const text = q.trim();
    if (!typed.current || !text) { setItems([]); return; }
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      fetchSuggestions(text, ctrl.signal)
        .then((list) => { if (!ctrl.signal.aborted) { setItems(list); setActive(-1); } })
        .catch(() => undefined);
    }, SUGGEST_DELAY_MS);
    return () => { clearTimeout(timer); ctrl.abort(); };
  }, [q]);

  const go = (text: string) => {
    typed.current = false;
    setOpen(false);
    setActive(-1);
    setQ(text);
    navigate(searchUrl({ q: text.trim() }));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go(active >= 0 && open && items[active] ? items[active] : q);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const shown = open && items.length > 0;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!items.length) return;
      e.preventDefault();
      if (!open) { setOpen(true); return; }
      const step = e.key === 'ArrowDown' ? 1 : -1;
      // -1 is the text as typed; the list wraps through it.
      setActive((i) => ((i + 1 + step + items.length + 1) % (items.length + 1)) - 1);
    } else if (e.key === 'Escape' && shown) {
      e.preventDefault();
      setOpen(false);
      setActive(-1);
    }
  };
  const showList = open && items.length > 0 && q.trim() !== '';
  return (
    <form className="search" onSubmit={submit} role="search">
      <input
        value={q}
        onChange={(e) => { typed.current = true; setQ(e.target.value); setOpen(true); }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
        placeholder={t('searchPlaceholder')}
        data-testid="search-input"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={showList}
        aria-controls="search-suggest-list"
        aria-activedescendant={showList && active >= 0 ? `search-suggest-${active}` : undefined}
        autoComplete="off"
        maxLength={256}
      />
      <button type="submit">{t('search')}</button>
      {showList && (
        <ul className="suggest" id="search-suggest-list" role="listbox" aria-label={t('searchSuggestions')} data-testid="search-suggestions">
          {items.map((s, i) => (
            <li
              key={s}
              id={`search-suggest-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'on' : ''}
              data-testid="search-suggestion"
              onMouseDown={(e) => e.preventDefault()}
              onMouseEnter={() => setActive(i)}
              onClick={() => go(s)}
            >
              <SuggestText text={s} typed={q.trim()} />
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}

/** The suggestion with the part already typed in normal weight and the completion in bold. */
function SuggestText({ text, typed }: { text: string; typed: string }) {
  const at = typed ? text.toLowerCase().indexOf(typed.toLowerCase()) : -1;
  if (at < 0) return <b>{text}</b>;
  return <>{at > 0 && <b>{text.slice(0, at)}</b>}<span>{text.slice(at, at + typed.length)}</span><b>{text.slice(at + typed.length)}</b></>;
}

function CartButton() {
  const { t } = useI18n();
  const { cart } = useCart();
  const count = cart?.count ?? 0;
  return (
    <Link to="/cart" className="cart-btn" data-testid="header-cart">
      <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="currentColor" d="M7 18a2 2 0 1 0 0 4 2 2 0 0 0 0-4zm10 0a2 2 0 1 0 0 4 2 2 0 0 0 0-4zM6.2 6l.9 2H20l-3.4 7H8.4L4.3 3H1V1h4.6l.6 1.3V2h.1L6.2 6z"/></svg>
      {t('cart')}
      {count > 0 && <span className="cart-count" data-testid="cart-count">{count > 99 ? '99+' : count}</span>}
    </Link>
  );
}

function CategoryBar() {
  const { t, localized } = useI18n();
  const cats = useCategories();
  const tops = topCategories(cats);
  return (
    <div className="catbar">
      <div className="container catbar-inner">
        <div className="catmenu">
          <span className="catmenu-btn">☰ {t('allCategories')}</span>
          <div className="catmenu-panel">
            {tops.map((c) => (
              <div key={c.id} className="catmenu-row">
                <Link to={`/category/${c.id}`} className="catmenu-top">{localized(c.name, c.nameEn)}</Link>
                <span className="catmenu-subs">
                  {childrenOf(cats, c.id).map((s) => <Link key={s.id} to={`/category/${s.id}`}>{localized(s.name, s.nameEn)}</Link>)}
                </span>
              </div>
            ))}
          </div>
        </div>
        <nav className="catbar-links">
          <Link to="/">{t('homeNav')}</Link>
          <Link to="/content" className="catbar-content" data-testid="nav-content">{t('contentNav')}</Link>
          <Link to="/vip" className="catbar-vip" data-testid="nav-vip">{t('vipNav')}</Link>
          <Link to="/flash-sales" className="catbar-flash" data-testid="nav-flash-sales">{t('navFlashSales')}</Link>
          {tops.slice(0, 9).map((c) => <Link key={c.id} to={`/category/${c.id}`}>{localized(c.name, c.nameEn)}</Link>)}
        </nav>
      </div>
    </div>
  );
}

export function Footer() {
  const { t } = useI18n();
  return (
    <footer className="site-footer">
      <div className="container footer-promises">
        <span><b>正</b>{t('promiseGenuine')}</span><span><b>退</b>{t('promiseReturns')}</span><span><b>快</b>{t('promiseFast')}</span><span><b>安</b>{t('promiseSafe')}</span>
      </div>
      <div className="container footer-note">{t('footer')}</div>
    </footer>
  );
}
