import { useEffect } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router-dom';
import { useLang, useT } from './i18n';

/** The public pages' frame: the red band with 平安创建 公示与荣誉, the menu, the zh/EN switch. */
export function Layout() {
  const t = useT();
  const { lang, setLang } = useLang();
  const { pathname } = useLocation();
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [pathname]);
  return (
    <div className="pp-shell">
      <header className="pp-band">
        <div className="pp-band-inner">
          <Link to="/public" className="pp-brand">
            <span className="pp-seal" aria-hidden>
              安
            </span>
            <span className="pp-brand-text">
              <span className="pp-brand-main">{t('brand.main')}</span>
              <span className="pp-brand-sub">{t('brand.sub')}</span>
            </span>
          </Link>
          <div className="pp-lang" role="group" aria-label={t('lang.label')} data-testid="lang-switch">
            <button type="button" aria-pressed={lang === 'zh-CN'} onClick={() => setLang('zh-CN')}>
              中文
            </button>
            <button type="button" aria-pressed={lang === 'en-US'} onClick={() => setLang('en-US')}>
              EN
            </button>
          </div>
        </div>
        <nav className="pp-nav" aria-label={t('nav.label')}>
          <NavLink to="/public" end>
            {t('nav.home')}
          </NavLink>
          <NavLink to="/public/votes">{t('nav.votes')}</NavLink>
          <NavLink to="/public/honour">{t('nav.honour')}</NavLink>
          <NavLink to="/verify">{t('nav.verify')}</NavLink>
        </nav>
      </header>
      <main className="pp-main">
        <Outlet />
      </main>
      <footer className="pp-footer">
        <div>{t('footer.line')}</div>
        <div>
          <a href="/login">{t('footer.staff')}</a>
        </div>
      </footer>
    </div>
  );
}

/** The page every unknown address shows. */
export function NotFound() {
  const t = useT();
  return (
    <div className="pp-card pp-center" data-testid="not-found">
      <h1 className="pp-h1">{t('notFound.title')}</h1>
      <p className="pp-muted">{t('notFound.body')}</p>
      <Link to="/public">{t('nav.home')}</Link>
    </div>
  );
}
