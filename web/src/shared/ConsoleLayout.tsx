// Side-nav layout shared by the merchant and operator consoles.
import type { ReactNode } from 'react';
import { Link } from './router';

export interface NavItem { key: string; label: string; href: string; badge?: number }

export function ConsoleLayout({ title, nav, active, top, children }: { title: string; nav: NavItem[]; active: string; top?: ReactNode; children: ReactNode }) {
  return (
    <div className="container console">
      <aside className="console-nav card">
        <div className="console-title">{title}</div>
        {nav.map((n) => (
          <Link key={n.key} to={n.href} className={`console-link${n.key === active ? ' on' : ''}`} data-testid={`nav-${n.key}`}>
            {n.label}{n.badge ? <span className="nav-badge">{n.badge}</span> : null}
          </Link>
        ))}
      </aside>
      <section className="console-main">
        {top}
        {children}
      </section>
    </div>
  );
}
