import { Card, PageTitle, useT } from '../../kit';
import dict from '../../locales/honour';
import VerifyBox from './VerifyBox';

/** 称号查验: type a certificate number; the title's page (/t/…) answers. /verify/:no redirects there. */
export default function VerifyPage() {
  const t = useT(dict);
  return (
    <>
      <PageTitle sub={t('verify.intro')}>{t('verify.title')}</PageTitle>
      <Card>
        <VerifyBox autoFocus />
      </Card>
    </>
  );
}
