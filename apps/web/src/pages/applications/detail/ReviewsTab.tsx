import { Card, Empty, Grid, Space, Table, Tag } from 'antd';
import { REVIEW_STAGE_LABELS } from '@pingan/core';
import type { ApplicationDetail, ReviewScoreRecord } from '../../../api/types';
import { useI18n } from '../../../locales';
import { fmtTime } from '../../../utils/format';

/** 评审记录: each review with its stage, reviewer, time, comment and scores. */
export default function ReviewsTab({ detail }: { detail: ApplicationDetail }) {
  const { t, pick } = useI18n();
  // on a phone the fixed columns shrink so the comment keeps a readable width
  const phone = Grid.useBreakpoint().md === false;
  if (detail.reviews.length === 0)
    return (
      <Card>
        <Empty description={t('reviews.empty')} />
      </Card>
    );
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="reviews">
      {[...detail.reviews].reverse().map((r) => (
        <Card
          key={r.id}
          size="small"
          data-testid={`review-${r.id}`}
          title={
            <Space wrap>
              <Tag color="red">{pick(REVIEW_STAGE_LABELS[r.stage])}</Tag>
              <span>{r.reviewerName}</span>
              <span className="muted">{fmtTime(r.createdAt)}</span>
            </Space>
          }
        >
          {r.comment && (
            <p>
              <span className="meta-label">{t('reviews.comment')}：</span>
              {r.comment}
            </p>
          )}
          {r.scores.length > 0 && (
            <Table<ReviewScoreRecord>
              rowKey="criterionId"
              size="small"
              pagination={false}
              dataSource={r.scores}
              columns={[
                { title: t('rating.criterion'), dataIndex: 'criterionId', width: phone ? 72 : 110 },
                {
                  title: t('review.score'),
                  dataIndex: 'score',
                  width: phone ? 52 : 90,
                  align: 'right',
                  render: (s: number | null) => s ?? '—',
                },
                {
                  title: t('review.met'),
                  key: 'met',
                  width: phone ? 68 : 100,
                  render: (_: unknown, s) =>
                    s.notApplicable ? (
                      <Tag>{t('reviews.notApplicable')}</Tag>
                    ) : s.met === null ? (
                      '—'
                    ) : (
                      <Tag color={s.met ? 'success' : 'error'}>{s.met ? t('review.metYes') : t('review.metNo')}</Tag>
                    ),
                },
                { title: t('review.comment'), dataIndex: 'comment', render: (c: string | null) => c ?? '' },
              ]}
            />
          )}
        </Card>
      ))}
    </Space>
  );
}
