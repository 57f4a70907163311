import { Button, Result } from 'antd';
import { Link } from 'react-router-dom';
import { useT } from '../locales';

export default function Exception({ kind }: { kind: '403' | '404' }) {
  const t = useT();
  return (
    <Result
      status={kind}
      title={kind}
      subTitle={kind === '404' ? t('error.notFound') : t('error.forbidden')}
      extra={
        <Link to="/">
          <Button type="primary">{t('error.backHome')}</Button>
        </Link>
      }
    />
  );
}
