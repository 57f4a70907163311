import { useEffect, useMemo, useState } from 'react';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { Button, Drawer, Grid, Layout, Menu, Popover, Space, Tag, Tooltip } from 'antd';
import { ROLE_LABELS } from '@pingan/core';
import { useAuth, useMe } from '../auth/AuthContext';
import { useI18n } from '../locales';
import { menuRoutes } from '../routes';
import LangSwitch from '../components/LangSwitch';
import Brand from '../components/Brand';
import NotificationBell from '../components/NotificationBell';

const { Header, Sider, Content, Footer } = Layout;

function MenuIcon() {
  return (
    <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden fill="currentColor">
      <path d="M3 6h18v2H3V6Zm0 5h18v2H3v-2Zm0 5h18v2H3v-2Z" />
    </svg>
  );
}

/**
 * The signed-in frame: red brand header, the role's side menu, the page. Below 768 px (a phone) the
 * side menu is a drawer opened from the header, and the account, language and sign-out fold into a
 * compact menu, so nothing overlaps and the page never scrolls sideways.
 */
export default function BasicLayout() {
  const me = useMe();
  const { signOut } = useAuth();
  const { t, pick } = useI18n();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  // before the first measurement useBreakpoint answers {}: treat as wide to avoid a flash of the drawer
  const phone = screens.md === false;
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [userOpen, setUserOpen] = useState(false);

  // a new page closes the drawer and the account menu
  useEffect(() => {
    setDrawerOpen(false);
    setUserOpen(false);
  }, [location.pathname]);

  const items = useMemo(
    () =>
      menuRoutes(me.role).map((r) => ({
        key: r.key,
        label: (
          <Link to={r.path} data-testid={`nav-${r.key}`}>
            {t(r.menuFor?.[me.role] ?? r.menu)}
          </Link>
        ),
      })),
    [me.role, t],
  );
  const selected = items.find((i) => location.pathname === `/${i.key}` || location.pathname.startsWith(`/${i.key}/`))?.key;
  const orgLine = me.org ? `${me.org.name} · ${me.org.regionName}` : (me.subject?.name ?? '');

  // signing out drops the session; RequireAuth then sends the visitor to /login
  const onLogout = () => void signOut().catch(() => undefined);

  const menu = <Menu mode="inline" selectedKeys={selected ? [selected] : []} items={items} style={{ borderInlineEnd: 0 }} />;

  const userPanel = (
    <div className="app-user-panel" data-testid="user-panel">
      <div className="app-user-panel-name">{me.displayName}</div>
      {orgLine && <div className="app-user-panel-org">{orgLine}</div>}
      <Tag color="gold" className="app-user-role">
        {pick(ROLE_LABELS[me.role])}
      </Tag>
      <div className="app-user-panel-actions">
        <LangSwitch />
        <Button size="small" onClick={onLogout} data-testid="logout">
          {t('common.logout')}
        </Button>
      </div>
    </div>
  );

  return (
    <Layout className={phone ? 'app-shell app-shell-phone' : 'app-shell'}>
      <Header className="app-header">
        {phone && (
          <button
            type="button"
            className="app-menu-button"
            aria-label={t('layout.menu')}
            onClick={() => setDrawerOpen(true)}
            data-testid="menu-button"
          >
            <MenuIcon />
          </button>
        )}
        <Brand />
        <div className="app-header-right">
          <NotificationBell />
          {phone ? (
            <Popover
              content={userPanel}
              trigger="click"
              open={userOpen}
              onOpenChange={setUserOpen}
              placement="bottomRight"
              arrow={false}
              rootClassName="app-user-popover"
            >
              <button type="button" className="app-user-compact" data-testid="current-user" aria-label={me.displayName}>
                <span className="app-user-avatar" aria-hidden>
                  {me.displayName.slice(0, 1)}
                </span>
                <span className="sr-only" data-testid="current-role">
                  {pick(ROLE_LABELS[me.role])}
                </span>
              </button>
            </Popover>
          ) : (
            <>
              <div className="app-user" data-testid="current-user">
                <span className="app-user-name">{me.displayName}</span>
                <Tooltip title={orgLine}>
                  <span className="app-user-org">{orgLine}</span>
                </Tooltip>
                <Tag color="gold" className="app-user-role" data-testid="current-role">
                  {pick(ROLE_LABELS[me.role])}
                </Tag>
              </div>
              <Space size={12}>
                <LangSwitch dark />
                <Button size="small" ghost onClick={onLogout} data-testid="logout">
                  {t('common.logout')}
                </Button>
              </Space>
            </>
          )}
        </div>
      </Header>
      <Layout>
        {phone ? (
          <Drawer
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            size={260}
            title={t('layout.menu')}
            className="app-drawer"
            styles={{ body: { padding: 0 } }}
          >
            {menu}
          </Drawer>
        ) : (
          <Sider theme="light" width={208} collapsible collapsed={collapsed} onCollapse={setCollapsed} className="app-sider">
            {menu}
          </Sider>
        )}
        <Layout className="app-main">
          <Content className="app-content">
            <Outlet />
          </Content>
          <Footer className="app-footer">{t('app.footer')}</Footer>
        </Layout>
      </Layout>
    </Layout>
  );
}
