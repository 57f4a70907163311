/** UI strings of one area, Chinese and English side by side; spread into zh-CN.ts and en-US.ts. */
export const zh = {
  'rating.noStars': '命名制，不评星级',
  'detail.titleConferredNoStars': '已命名：{name}',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'rating.noStars': 'Title or not, no stars',
  'detail.titleConferredNoStars': 'Title conferred: {name}',
};
