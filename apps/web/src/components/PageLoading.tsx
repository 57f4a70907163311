import { Spin } from 'antd';
import { useT } from '../locales';

/** What shows while a page's own code arrives (every page is loaded when first opened: routes.tsx). */
export default function PageLoading() {
  const t = useT();
  return (
    <div className="page-loading" role="status" aria-live="polite">
      <Spin size="small" />
      <span>{t('common.loading')}</span>
    </div>
  );
}
