import { Alert, Card, Col, Descriptions, Progress, Row, Statistic, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import {
  LEVEL_LABELS,
  REVIEW_STAGE_LABELS,
  allCriteria,
  renderReason,
  type CriterionRating,
  type CriterionStatus,
  type Reason,
} from '@pingan/core';
import type { ApplicationDetail } from '../../../api/types';
import { useI18n, type MessageKey } from '../../../locales';
import Stars from '../../../components/Stars';
import { coreLang } from '../../../components/CriterionInfo';

const STATUS_COLOR: Record<CriterionStatus, string> = {
  met: 'success',
  not_met: 'error',
  not_applicable: 'default',
  pending: 'processing',
};

/**
 * 评级结果: the rating engine's verdict, with the reasons per criterion, in the reader's language.
 * A star standard (000) shows stars and 达标/先进/示范; a title-only standard (001, 002) shows only
 * whether the title can be conferred. Pending items earn nothing and make the rating provisional.
 */
export default function RatingTab({ detail }: { detail: ApplicationDetail }) {
  const { t, pick, lang } = useI18n();
  const r = detail.rating;
  const cl = coreLang(lang);
  const title = r.scheme === 'title';
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
      render: (reasons: Reason[]) => (
        <ul className="reasons">
          {reasons.map((x, i) => (
            <li key={i}>{renderReason(x, cl)}</li>
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
          {r.summaryReason ? renderReason(r.summaryReason, cl) : r.summary}
        </div>
        {r.provisional && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            title={t('rating.provisional', { n: r.pending.length })}
            data-testid="rating-provisional"
          />
        )}
        {r.defaultBands && (
          <div className="muted" style={{ marginBottom: 12 }} data-testid="rating-default-bands">
            {t('rating.defaultBands')}
          </div>
        )}
        <Row gutter={[24, 16]} align="middle">
          <Col xs={12} md={5}>
            <Statistic title={t('rating.total')} value={r.total} suffix={`/ ${r.max}`} />
          </Col>
          <Col xs={12} md={5}>
            <div className="stat-title">{t('rating.percent')}</div>
            <Progress percent={Math.min(100, r.percent)} format={() => `${r.percent}%`} strokeColor="#c0262d" />
          </Col>
          {title ? (
            <Col xs={24} md={14}>
              <div className="stat-title">{t('rating.conferral')}</div>
              <Tag
                color={r.conferrable ? 'gold' : r.provisional && !r.vetoed.length ? 'processing' : 'default'}
                className="level-tag"
                data-testid="rating-conferral"
                data-conferrable={r.conferrable}
              >
                {r.conferrable
                  ? t('rating.conferrable')
                  : r.provisional && !r.vetoed.length
                    ? t('rating.undecided')
                    : t('rating.notConferrable')}
              </Tag>
            </Col>
          ) : (
            <>
              <Col xs={12} md={7}>
                <div className="stat-title">{t('rating.stars')}</div>
                <Stars value={r.stars} size={26} testId="rating-stars" scheme={r.scheme} />
              </Col>
              <Col xs={12} md={7}>
                <div className="stat-title">{t('rating.level')}</div>
                <Tag color={r.level === 'none' ? 'default' : 'gold'} className="level-tag" data-testid="rating-level">
                  {pick(LEVEL_LABELS[r.level])}
                </Tag>
              </Col>
            </>
          )}
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
          <Descriptions.Item label={title ? t('rating.toTitle') : t('rating.nextStar')}>
            <span data-testid="rating-next-star">
              {r.nextStar
                ? r.nextStar.summaryReason
                  ? renderReason(r.nextStar.summaryReason, cl)
                  : r.nextStar.summary
                : title
                  ? t('rating.titleReached')
                  : t('rating.topStar')}
            </span>
          </Descriptions.Item>
          {r.pending.length > 0 && <Descriptions.Item label={t('rating.pending')}>{r.pending.join('、')}</Descriptions.Item>}
          {r.conditionsUnmet.length > 0 && (
            <Descriptions.Item label={t('rating.conditionsUnmet')}>
              {(r.conditionsUnmetReasons ?? []).length
                ? r.conditionsUnmetReasons.map((x) => renderReason(x, cl)).join(cl === 'zh' ? '；' : '; ')
                : r.conditionsUnmet.join('；')}
            </Descriptions.Item>
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
