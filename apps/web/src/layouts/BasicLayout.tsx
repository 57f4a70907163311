import { useMemo, useState } from 'react';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { Button, Layout, Menu, Space, Tag, Tooltip } from 'antd';
import { ROLE_LABELS } from '@pingan/core';
import { useAuth, useMe } from '../auth/AuthContext';
import { useI18n } from '../locales';
import { menuRoutes } from '../routes';
import LangSwitch from '../components/LangSwitch';
import Brand from '../components/Brand';

const { Header, Sider, Content, Footer } = Layout;

/** The signed-in frame: red brand header, the role's side menu, the page. */
export default function BasicLayout() {
  const me = useMe();
  const { signOut } = useAuth();
  const { t, pick } = useI18n();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);

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

  return (
    <Layout className="app-shell">
      <Header className="app-header">
        <Brand />
        <div className="app-header-right">
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
        </div>
      </Header>
      <Layout>
        <Sider theme="light" width={208} collapsible collapsed={collapsed} onCollapse={setCollapsed} className="app-sider" breakpoint="lg">
          <Menu mode="inline" selectedKeys={selected ? [selected] : []} items={items} style={{ borderInlineEnd: 0 }} />
        </Sider>
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
