import { Link, Outlet } from 'react-router-dom';
import { Layout } from 'antd';
import { useT } from '../locales';
import LangSwitch from '../components/LangSwitch';

/** The public pages: a plain official look with the red header band. */
export default function PublicLayout() {
  const t = useT();
  return (
    <Layout className="public-shell">
      <header className="public-band">
        <div className="public-band-inner">
          <Link to="/public" className="public-band-title">
            <span className="brand-seal" aria-hidden>
              安
            </span>
            {t('public.header')}
          </Link>
          <nav className="public-nav">
            <Link to="/public">{t('public.list')}</Link>
            <Link to="/verify">{t('public.verify')}</Link>
            <Link to="/login">{t('public.login')}</Link>
            <LangSwitch dark />
          </nav>
        </div>
      </header>
      <main className="public-main">
        <Outlet />
      </main>
      <footer className="public-footer">{t('app.footer')}</footer>
    </Layout>
  );
}
