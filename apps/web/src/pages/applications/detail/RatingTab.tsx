import { Alert, Card, Col, Descriptions, Progress, Row, Statistic, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { LEVEL_LABELS, REVIEW_STAGE_LABELS, allCriteria, type CriterionRating, type CriterionStatus } from '@pingan/core';
import type { ApplicationDetail } from '../../../api/types';
import { useI18n, type MessageKey } from '../../../locales';
import Stars from '../../../components/Stars';

const STATUS_COLOR: Record<CriterionStatus, string> = { met: 'success', not_met: 'error', not_applicable: 'default', pending: 'processing' };

/** 评级结果: the rating engine's verdict, with the reasons per criterion. */
export default function RatingTab({ detail }: { detail: ApplicationDetail }) {
  const { t, pick } = useI18n();
  const r = detail.rating;
  const byId = new Map(allCriteria(detail.standard).map((c) => [c.id, c]));

  const columns: ColumnsType<CriterionRating> = [
    {
      title: t('rating.criterion'),
      dataIndex: 'criterionId',
      width: 260,
      render: (id: string, row) => {
        const c = byId.get(id);
        const label = c?.title ?? c?.text ?? '';
        return (
          <div>
            <strong>{id}</strong>{' '}
            <span className="criterion-snippet" title={c?.text}>
              {label.length > 28 ? `${label.slice(0, 28)}…` : label}
            </span>
            {row.veto && (
              <Tag color="red" style={{ marginInlineStart: 6 }}>
                {t('criterion.veto')}
              </Tag>
            )}
          </div>
        );
      },
    },
    {
      title: t('rating.status'),
      dataIndex: 'status',
      width: 100,
      render: (s: CriterionStatus) => (
        <Tag color={STATUS_COLOR[s]} data-status={s}>
          {t(`crit.${s}` as MessageKey)}
        </Tag>
      ),
    },
    {
      title: t('rating.scorePoints'),
      key: 'score',
      width: 110,
      align: 'right',
      render: (_: unknown, row) => (
        <span>
          <strong>{row.score}</strong> / {row.points}
        </span>
      ),
    },
    {
      title: t('rating.reasons'),
      dataIndex: 'reasons',
      render: (reasons: string[]) => (
        <ul className="reasons">
          {reasons.map((x, i) => (
            <li key={i}>{x}</li>
          ))}
        </ul>
      ),
    },
    {
      title: t('rating.scoredBy'),
      dataIndex: 'scoredBy',
      width: 140,
      render: (s: CriterionRating['scoredBy']) => (s ? pick(REVIEW_STAGE_LABELS[s]) : '—'),
    },
  ];

  return (
    <div>
      <Card className="rating-card" style={{ marginBottom: 16 }}>
        <div className="rating-summary" data-testid="rating-summary">
          {r.summary}
        </div>
        <Row gutter={[24, 16]} align="middle">
          <Col xs={12} md={5}>
            <Statistic title={t('rating.total')} value={r.total} suffix={`/ ${r.max}`} />
          </Col>
          <Col xs={12} md={5}>
            <div className="stat-title">{t('rating.percent')}</div>
            <Progress percent={Math.min(100, r.percent)} format={() => `${r.percent}%`} strokeColor="#c0262d" />
          </Col>
          <Col xs={12} md={7}>
            <div className="stat-title">{t('rating.stars')}</div>
            <Stars value={r.stars} size={26} testId="rating-stars" />
          </Col>
          <Col xs={12} md={7}>
            <div className="stat-title">{t('rating.level')}</div>
            <Tag color={r.level === 'none' ? 'default' : 'gold'} className="level-tag" data-testid="rating-level">
              {pick(LEVEL_LABELS[r.level])}
            </Tag>
          </Col>
        </Row>
        {r.vetoed.length > 0 && (
          <Alert
            type="error"
            showIcon
            style={{ marginTop: 16 }}
            title={t('rating.vetoedItems', { ids: r.vetoed.join('、') })}
            data-testid="rating-vetoes"
          />
        )}
        <Descriptions size="small" column={1} style={{ marginTop: 16 }}>
          <Descriptions.Item label={t('rating.nextStar')}>
            <span data-testid="rating-next-star">{r.nextStar ? r.nextStar.summary : t('rating.topStar')}</span>
          </Descriptions.Item>
          {r.pending.length > 0 && <Descriptions.Item label={t('rating.pending')}>{r.pending.join('、')}</Descriptions.Item>}
          {r.conditionsUnmet.length > 0 && (
            <Descriptions.Item label={t('rating.conditionsUnmet')}>{r.conditionsUnmet.join('；')}</Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Card styles={{ body: { padding: 0 } }}>
        <Table<CriterionRating>
          rowKey="criterionId"
          size="small"
          columns={columns}
          dataSource={r.criteria}
          pagination={false}
          scroll={{ x: 900 }}
          rowClassName={(row) => (row.veto && row.status === 'not_met' ? 'row-veto' : '')}
          data-testid="rating-table"
        />
      </Card>
    </div>
  );
}
