import { lazy, Suspense } from 'react';
import { Spin } from 'antd';

// the dashboards and their chart library load when the page is first opened: the main bundle stays as it was
const AnalyticsMain = lazy(() => import('./AnalyticsMain'));

/** 数据分析: a thin shell; the page itself is AnalyticsMain. */
export default function AnalyticsPage() {
  return (
    <Suspense fallback={<Spin style={{ display: 'block', margin: '64px auto' }} />}>
      <AnalyticsMain />
    </Suspense>
  );
}
