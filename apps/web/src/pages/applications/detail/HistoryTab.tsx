import { Card, Empty, Grid, Space, Tag, Timeline } from 'antd';
import { ACTION_LABELS, type Action } from '@pingan/core';
import type { ApplicationDetail } from '../../../api/types';
import { useI18n } from '../../../locales';
import { fmtTime } from '../../../utils/format';
import StatusTag from '../../../components/StatusTag';

const isAction = (a: string): a is Action => a in ACTION_LABELS;
const COLOR: Record<string, string> = { return: 'orange', reject: 'red', confer: 'green', create: 'gray' };

/** 流转记录: every change of state, who made it, when, from → to, and why. */
export default function HistoryTab({ detail }: { detail: ApplicationDetail }) {
  const { t, pick } = useI18n();
  // on a phone the time goes above each entry instead of in a column beside it
  const phone = Grid.useBreakpoint().md === false;
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
                  <strong>{isAction(e.action) ? pick(ACTION_LABELS[e.action]) : e.action === 'create' ? t('history.create') : e.action}</strong>
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
