import type { ThemeConfig } from 'antd';

export const FONT_FAMILY =
  "'Noto Sans SC', -apple-system, BlinkMacSystemFont, 'PingFang SC', 'Microsoft YaHei', 'Helvetica Neue', Arial, sans-serif";

/** Government red with a gold accent. */
export const BRAND_RED = '#b71c1c';
export const BRAND_GOLD = '#d4a017';

export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#c0262d',
    colorLink: '#a61d24',
    colorInfo: '#1f6fb2',
    fontFamily: FONT_FAMILY,
    borderRadius: 4,
    colorBgLayout: '#f3f4f6',
  },
  components: {
    Layout: { headerBg: BRAND_RED, headerHeight: 56, headerPadding: '0 20px', siderBg: '#ffffff', footerBg: 'transparent' },
    Menu: { itemSelectedBg: '#fdeeee', itemSelectedColor: '#a61d24', itemHeight: 44 },
    Table: { headerBg: '#f7f3ea' },
  },
};
