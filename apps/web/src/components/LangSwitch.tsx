import { Segmented } from 'antd';
import { useI18n, type Lang } from '../locales';

export default function LangSwitch({ dark = false }: { dark?: boolean }) {
  const { lang, setLang, t } = useI18n();
  return (
    <Segmented<Lang>
      size="small"
      className={dark ? 'lang-switch lang-switch-dark' : 'lang-switch'}
      data-testid="lang-switch"
      value={lang}
      onChange={setLang}
      options={[
        { label: t('common.lang.zh'), value: 'zh-CN' },
        { label: t('common.lang.en'), value: 'en-US' },
      ]}
    />
  );
}
