import { Link } from 'react-router-dom';
import { useT } from '../locales';

/** The 平安创建 mark: a red seal with a gold 安, and the name. */
export default function Brand({ to = '/' }: { to?: string }) {
  const t = useT();
  return (
    <Link to={to} className="brand">
      <span className="brand-seal" aria-hidden>
        安
      </span>
      <span className="brand-name">{t('app.brand')}</span>
      <span className="brand-sub">{t('app.brandSub')}</span>
    </Link>
  );
}
