import { App as AntApp, ConfigProvider } from 'antd';
import zh_CN from 'antd/locale/zh_CN';
import en_US from 'antd/locale/en_US';
import { RouterProvider } from 'react-router-dom';
import { I18nProvider, useI18n } from './locales';
import { AuthProvider } from './auth/AuthContext';
import { router } from './router';
import { theme } from './theme';

function Themed() {
  const { lang } = useI18n();
  return (
    <ConfigProvider locale={lang === 'zh-CN' ? zh_CN : en_US} theme={theme}>
      <AntApp notification={{ top: 72 }} message={{ top: 64 }}>
        <AuthProvider>
          <RouterProvider router={router} />
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export default function App() {
  return (
    <I18nProvider>
      <Themed />
    </I18nProvider>
  );
}
