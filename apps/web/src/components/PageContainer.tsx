import type { ReactNode } from 'react';
import { Typography } from 'antd';

/** The page frame of ant-design-pro: a title bar with actions, then the content. */
export default function PageContainer({
  title,
  subTitle,
  extra,
  tags,
  children,
}: {
  title: ReactNode;
  subTitle?: ReactNode;
  extra?: ReactNode;
  tags?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="page">
      <div className="page-header">
        <div className="page-header-main">
          <Typography.Title level={4} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          {tags}
          {subTitle && <span className="page-subtitle">{subTitle}</span>}
        </div>
        {extra && <div className="page-header-extra">{extra}</div>}
      </div>
      <div className="page-body">{children}</div>
    </div>
  );
}
