/** 打印文书 (Printed forms): strings side by side; spread into zh-CN.ts and en-US.ts. */
export const zh = {
  'documents.menu': '打印文书',
  'documents.applicationForm': '申报表 PDF',
  'documents.reviewForm': '审核表 PDF',
};

export const en: Record<keyof typeof zh, string> = {
  'documents.menu': 'Printed forms',
  'documents.applicationForm': 'Application form PDF',
  'documents.reviewForm': 'Review form PDF',
};
