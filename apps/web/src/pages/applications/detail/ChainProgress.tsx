import { Card, Steps, Typography } from 'antd';
import type { ApplicationDetail, ChainStepView } from '../../../api/types';
import { useI18n, type MessageKey } from '../../../locales';

/** Who a step's owner is, in words. */
export function ownerKey(o: ChainStepView['owner']): MessageKey {
  return o.kind === 'office' ? (`chain.owner.office.${o.level}` as MessageKey) : (`chain.owner.${o.kind}` as MessageKey);
}

/** 评审流程: the campaign's chain, the step that holds the application now, and who owns each step. */
export default function ChainProgress({ detail }: { detail: ApplicationDetail }) {
  const { t, lang } = useI18n();
  if (!detail.chain.length) return null;
  const name = (s: ChainStepView) => (lang === 'zh-CN' ? s.name : (s.nameEn ?? s.name));
  const at = detail.step ? detail.chain.findIndex((s) => s.key === detail.step!.key) : -1;
  const finished = ['evaluated', 'in_notice', 'conferred'].includes(detail.status);
  const current = at >= 0 ? at : finished ? detail.chain.length : 0;
  const stopped = detail.status === 'returned' || detail.status === 'rejected' || detail.status === 'withdrawn';
  return (
    <Card size="small" className="chain-progress" title={t('chain.title')} data-testid="chain-progress" style={{ marginBottom: 16 }}>
      <Steps
        size="small"
        responsive
        current={current}
        status={stopped ? 'error' : finished ? 'finish' : 'process'}
        items={detail.chain.map((s) => ({
          title: name(s),
          content: (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t(ownerKey(s.owner))}
              {s.deadline ? ` · ${t('chain.deadline', { date: s.deadline })}` : ''}
            </Typography.Text>
          ),
        }))}
      />
      {detail.status === 'draft' && <Typography.Text type="secondary">{t('chain.notStarted')}</Typography.Text>}
    </Card>
  );
}
