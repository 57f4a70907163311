import { Card, Empty, Grid, Space, Tag, Timeline } from 'antd';
import { ACTION_LABELS, type Action } from '@pingan/core';
import type { ApplicationDetail } from '../../../api/types';
import { useI18n } from '../../../locales';
import { fmtTime } from '../../../utils/format';
import StatusTag from '../../../components/StatusTag';

const isAction = (a: string): a is Action => a in ACTION_LABELS;

/** The events a review chain writes besides the classic actions: 推荐, 部门会签, a step passed. */
const CHAIN_ACTIONS: Record<string, { zh: string; en: string }> = {
  recommend: { zh: '推荐申报', en: 'Recommended' },
  withdraw_recommendation: { zh: '撤回推荐', en: 'Recommendation withdrawn' },
  notice_withdrawn: { zh: '撤出公示', en: 'Withdrawn from the notice' },
  signoff: { zh: '部门会签', en: 'Department sign-off' },
  signoff_override: { zh: '越过逾期部门', en: 'Late department overridden' },
};
const COLOR: Record<string, string> = { return: 'orange', reject: 'red', confer: 'green', create: 'gray' };

/** 流转记录: every change of state, who made it, when, from → to, and why. */
export default function HistoryTab({ detail }: { detail: ApplicationDetail }) {
  const { t, pick, lang } = useI18n();
  // on a phone the time goes above each entry instead of in a column beside it
  const phone = Grid.useBreakpoint().md === false;
  const label = (action: string): string => {
    if (isAction(action)) return pick(ACTION_LABELS[action]);
    if (action === 'create') return t('history.create');
    const [kind, arg] = action.split(':', 2) as [string, string | undefined];
    if (kind === 'pass' && arg) {
      const step = detail.chain.find((x) => x.key === arg);
      const name = step ? (lang === 'zh-CN' ? step.name : (step.nameEn ?? step.name)) : arg;
      return lang === 'zh-CN' ? `「${name}」通过` : `Passed: ${name}`;
    }
    return CHAIN_ACTIONS[kind] ? pick(CHAIN_ACTIONS[kind]) : action;
  };
  return (
    <Card data-testid="history">
      {detail.events.length === 0 ? (
        <Empty description={t('history.empty')} />
      ) : (
        <Timeline
          items={detail.events.map((e) => ({
            key: e.id,
            color: COLOR[e.action] ?? 'blue',
            title: phone ? undefined : <span className="muted">{fmtTime(e.at)}</span>,
            content: (
              <div className="history-item" data-testid={`event-${e.id}`} data-action={e.action}>
                {phone && <span className="muted history-time">{fmtTime(e.at)}</span>}
                <Space wrap size={8}>
                  <strong>{label(e.action)}</strong>
                  {e.revisionNo !== null && (
                    <Tag color="blue" data-testid={`revision-of-event-${e.id}`}>
                      {t('appx.history.revision', { no: e.revisionNo })}
                    </Tag>
                  )}
                  <span>{e.actorName ?? t('history.system')}</span>
                </Space>
                <div className="history-transition">
                  {e.from ? <StatusTag status={e.from} /> : <Tag>—</Tag>}
                  <span className="arrow">→</span>
                  <StatusTag status={e.to} />
                </div>
                {e.reason && (
                  <div className="history-reason">
                    {t('history.reason')}：{e.reason}
                  </div>
                )}
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}
