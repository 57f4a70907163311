/** 报备 (Filings): strings side by side; spread into zh-CN.ts and en-US.ts. */
export const zh = {
  'filings.menu': '报备',
};

export const en: Record<keyof typeof zh, string> = {
  'filings.menu': 'Filings',
};
