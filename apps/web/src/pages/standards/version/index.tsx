import { Link, useParams } from 'react-router-dom';
import { Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { allCriteria, describeMeasure, maxPoints, type StarCondition } from '@pingan/core';
import { getStandardVersion } from '../../../api/standards';
import { useAsync } from '../../../hooks/useAsync';
import { useI18n, type MessageKey } from '../../../locales';
import { fmtDate } from '../../../utils/format';
import PageContainer from '../../../components/PageContainer';
import ErrorBox from '../../../components/ErrorBox';
import CriterionInfo, { deptName } from '../../../components/CriterionInfo';

/** One version of a standard, laid out as in its source: groups, criteria, measures, star rules, notes. */
export default function StandardVersionPage() {
  const { id } = useParams();
  const { t, lang } = useI18n();
  const { data, error, loading, reload } = useAsync(() => getStandardVersion(Number(id)), [id]);
  const doc = data?.doc;
  const sep = lang === 'zh-CN' ? '、' : ', ';

  return (
    <PageContainer
      title={doc ? doc.title : t('standards.title')}
      tags={data && <Tag color="red">{t('standardView.version', { n: data.version })}</Tag>}
      extra={
        <Space>
          <Link to="/standards">← {t('standardView.back')}</Link>
          {data && (
            <Link to={`/standards/${data.standardId}`} data-testid="version-history-link">
              {t('standardDetail.open')}
            </Link>
          )}
        </Space>
      }
    >
      {error && <ErrorBox error={error} onRetry={reload} />}
      {loading && !data && <Card loading />}
      {doc && data && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card>
            <Descriptions size="small" column={{ xs: 1, md: 2 }}>
              <Descriptions.Item label={t('standardView.issuer')}>{doc.issuer}</Descriptions.Item>
              <Descriptions.Item label={t('standardView.year')}>{doc.year}</Descriptions.Item>
              <Descriptions.Item label={t('standards.category')}>{doc.category.name}</Descriptions.Item>
              <Descriptions.Item label={t('standardView.subjectKinds')}>
                {doc.category.subjectKinds.map((k) => t(`kind.${k}` as MessageKey)).join(sep)}
                {doc.category.unitTypes.length > 0 && `（${doc.category.unitTypes.join(sep)}）`}
              </Descriptions.Item>
              {(doc.responsible.lead.length > 0 || doc.responsible.text) && (
                <Descriptions.Item label={t('standardView.responsible')} span={2}>
                  {doc.responsible.text ?? doc.responsible.lead.map((d) => deptName(d, lang)).join(sep)}
                  {!doc.responsible.text && doc.responsible.assist.length > 0 && (
                    <span>
                      {' '}
                      · {t('standardView.assist')}：{doc.responsible.assist.map((d) => deptName(d, lang)).join(sep)}
                    </span>
                  )}
                </Descriptions.Item>
              )}
              {doc.source && (
                <Descriptions.Item label={t('standardView.source')}>
                  <code>{doc.source.file}</code>
                  {doc.source.section && ` ${doc.source.section}`}
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('standards.code')}>
                <code>{doc.code}</code> · {fmtDate(data.createdAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('standards.versions')}>
                {t('standardView.criteriaCount', { n: allCriteria(doc).length, max: maxPoints(doc) })}
              </Descriptions.Item>
              {data.note && <Descriptions.Item label={t('standardView.versionNote')}>{data.note}</Descriptions.Item>}
            </Descriptions>
          </Card>

          {doc.groups.map((g) => (
            <Card key={g.id} title={g.name} size="small" className="group-card" data-testid={`group-${g.id}`}>
              {g.criteria.map((c) => (
                <div className="criterion-block" key={c.id} data-testid={`std-criterion-${c.id}`}>
                  <CriterionInfo c={c} />
                  {c.measures.length > 0 && (
                    <div className="std-measures">
                      <span className="meta-label">{t('standardView.measures')}：</span>
                      <ul>
                        {c.measures.map((m) => (
                          <li key={m.id}>
                            {describeMeasure(m)}
                            {m.anyOfGroup && <Tag style={{ marginInlineStart: 6 }}>{m.anyOfGroup}</Tag>}
                          </li>
                        ))}
                      </ul>
                    </div>
                  )}
                </div>
              ))}
            </Card>
          ))}

          <Card title={t('standardView.starRules')} size="small">
            <Table
              rowKey="stars"
              size="small"
              pagination={false}
              dataSource={[...doc.starRules.bands].sort((a, b) => a.stars - b.stars)}
              columns={[
                { title: t('standardView.band'), dataIndex: 'stars', width: 160, render: (s: number) => <span className="star-label">{'★'.repeat(s)}</span> },
                { title: t('standardView.minPercent'), dataIndex: 'minPercent', render: (p: number) => `${p}%` },
              ]}
              style={{ marginBottom: 12 }}
            />
            {doc.starRules.conditions.length > 0 && (
              <Table<StarCondition>
                rowKey={(c) => `${c.kind}-${c.stars}`}
                size="small"
                pagination={false}
                dataSource={doc.starRules.conditions}
                columns={[
                  { title: t('standardView.conditionStars'), dataIndex: 'stars', width: 160, render: (s: number) => <span className="star-label">{'★'.repeat(s)}</span> },
                  { title: t('standardView.conditions'), dataIndex: 'text' },
                ]}
                style={{ marginBottom: 12 }}
              />
            )}
            {doc.starRules.note && (
              <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
                {t('standardView.note')}：{doc.starRules.note}
              </Typography.Paragraph>
            )}
          </Card>

          {doc.notes.length > 0 && (
            <Card title={t('standardView.notes')} size="small">
              <ol className="notes">
                {doc.notes.map((n, i) => (
                  <li key={i}>{n}</li>
                ))}
              </ol>
            </Card>
          )}
        </Space>
      )}
    </PageContainer>
  );
}
