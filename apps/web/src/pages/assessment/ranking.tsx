import { useEffect, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  InputNumber,
  Input,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ASSESSMENT_INDICATORS } from '@pingan/core';
import { errorMessage } from '../../api/client';
import {
  computeRanking,
  getRanking,
  listRankings,
  listRegions,
  publishRanking,
  rankingXlsxUrl,
  rankingsXlsxUrl,
  type RankingComponent,
  type RankingKey,
  type RankingRow,
} from '../../api/assessment';
import { useAsync } from '../../hooks/useAsync';
import { useI18n } from '../../locales';
import PageContainer from '../../components/PageContainer';
import ErrorBox from '../../components/ErrorBox';

type Level = RankingKey['level'];

/** 年度排名: pick scope, level and year; set the components; compute, review, publish; export. */
export default function RankingPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [year, setYear] = useState(new Date().getFullYear());
  const [scopeRegionId, setScope] = useState<number | undefined>();
  const [level, setLevel] = useState<Level>('town');
  const [components, setComponents] = useState<RankingComponent[]>([]);
  const [busy, setBusy] = useState(false);
  const key: RankingKey = { scopeRegionId, level, year };
  const regions = useAsync(listRegions, []);
  const answer = useAsync(() => getRanking(key), [scopeRegionId, level, year]);
  const history = useAsync(() => listRankings({ level, limit: 20, offset: 0 }), [level, answer.data]);
  useEffect(() => {
    if (answer.data) setComponents(answer.data.components.map((c) => ({ ...c }) as RankingComponent));
  }, [answer.data]);
  const ranking = answer.data?.ranking ?? null;
  const published = ranking?.status === 'published';
  const labelOf = (id: string) => {
    const i = ASSESSMENT_INDICATORS.find((x) => x.id === id);
    return i ? (lang === 'zh-CN' ? i.zh : i.en) : id;
  };

  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await fn();
      answer.reload();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const patch = (i: number, p: Partial<RankingComponent>) => setComponents((cs) => cs.map((c, j) => (j === i ? { ...c, ...p } : c)));

  const columns: ColumnsType<RankingRow> = [
    { title: t('ranking.col.rank'), dataIndex: 'rank', width: 60, fixed: 'left' },
    { title: t('ranking.col.region'), dataIndex: 'region', width: 110, fixed: 'left' },
    { title: t('ranking.col.score'), dataIndex: 'score', width: 80, render: (v: number) => <strong>{v}</strong> },
    ...(ranking?.components ?? []).map((c, i) => ({
      key: c.indicator,
      width: 130,
      title: `${c.label}（${c.weight}）`,
      render: (_: unknown, r: RankingRow) => {
        const x = r.components[i];
        if (!x) return null;
        return (
          <Tooltip title={x.how ?? undefined}>
            <div>
              {x.value === null ? <span className="muted">{t('ranking.noData')}</span> : x.value}
              {x.source && <span className="muted"> · {t(`assessment.source.${x.source}` as 'assessment.source.computed')}</span>}
            </div>
            <Typography.Text type="secondary">{t('ranking.points', { points: x.points })}</Typography.Text>
          </Tooltip>
        );
      },
    })),
    {
      title: t('ranking.col.consequences'),
      width: 170,
      render: (_, r) => (
        <Space size={2} wrap>
          {r.yellowCard && <Tag color="gold">{t('ranking.yellowCard')}</Tag>}
          {r.veto && <Tag color="red">{t('ranking.veto')}</Tag>}
          {r.ineligible && <Tag color="volcano">{t('ranking.ineligible')}</Tag>}
          {r.lastStreak > 1 && <span className="muted">{t('ranking.streak', { n: r.lastStreak })}</span>}
        </Space>
      ),
    },
    {
      title: t('ranking.col.reasons'),
      width: 420,
      render: (_, r) => r.reasons.map((x, i) => <div key={i}>{x}</div>),
    },
  ];

  return (
    <PageContainer
      title={t('ranking.title')}
      subTitle={t('ranking.subtitle')}
      extra={
        <Space wrap>
          {ranking && (
            <Button href={rankingXlsxUrl(key)} data-testid="ranking-export">
              {t('ranking.export')}
            </Button>
          )}
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <InputNumber min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} addonBefore={t('assessment.year')} />
        <Select
          style={{ minWidth: 160 }}
          allowClear
          placeholder={t('ranking.scope')}
          value={scopeRegionId}
          onChange={setScope}
          options={(regions.data ?? [])
            .filter((r) => r.level === 'city' || r.level === 'county')
            .map((r) => ({ value: r.id, label: r.name }))}
        />
        <Select
          style={{ minWidth: 120 }}
          value={level}
          onChange={setLevel}
          data-testid="ranking-level"
          options={(['county', 'town', 'village'] as const).map((l) => ({ value: l, label: t(`assessment.level.${l}`) }))}
        />
      </Space>
      {answer.error && <ErrorBox error={answer.error} onRetry={answer.reload} />}
      <Card size="small" title={t('ranking.components')} style={{ marginBottom: 12 }}>
        <Table<RankingComponent>
          rowKey={(_, i) => String(i)}
          size="small"
          pagination={false}
          dataSource={components}
          columns={[
            {
              title: t('ranking.col.indicator'),
              render: (_, c, i) => (
                <Select
                  disabled={published}
                  style={{ width: 200 }}
                  value={c.indicator}
                  onChange={(v) =>
                    patch(i, { indicator: v, label: labelOf(v), better: ASSESSMENT_INDICATORS.find((x) => x.id === v)?.better ?? 'higher' })
                  }
                  options={ASSESSMENT_INDICATORS.map((x) => ({ value: x.id, label: lang === 'zh-CN' ? x.zh : x.en }))}
                />
              ),
            },
            {
              title: t('ranking.col.label'),
              render: (_, c, i) => (
                <Input disabled={published} maxLength={40} value={c.label} onChange={(e) => patch(i, { label: e.target.value })} />
              ),
            },
            {
              title: t('ranking.col.weight'),
              width: 110,
              render: (_, c, i) => (
                <InputNumber disabled={published} min={0.1} max={1000} value={c.weight} onChange={(v) => patch(i, { weight: v ?? 1 })} />
              ),
            },
            {
              title: t('ranking.col.better'),
              width: 130,
              render: (_, c, i) => (
                <Select
                  disabled={published}
                  value={c.better}
                  onChange={(v) => patch(i, { better: v })}
                  options={(['higher', 'lower'] as const).map((b) => ({ value: b, label: t(`ranking.better.${b}`) }))}
                />
              ),
            },
            {
              width: 60,
              render: (_, __, i) =>
                !published && (
                  <Button size="small" type="link" danger onClick={() => setComponents((cs) => cs.filter((_, j) => j !== i))}>
                    ×
                  </Button>
                ),
            },
          ]}
        />
        <Space style={{ marginTop: 8 }} wrap>
          {!published && (
            <Button
              onClick={() =>
                setComponents((cs) => [...cs, { indicator: 'awareness', label: labelOf('awareness'), weight: 10, better: 'higher' }])
              }
            >
              {t('ranking.addComponent')}
            </Button>
          )}
          {!published && (
            <Button
              type="primary"
              loading={busy}
              disabled={answer.loading || !components.length}
              onClick={() => act(() => computeRanking(key, components))}
              data-testid="ranking-compute"
            >
              {t('ranking.compute')}
            </Button>
          )}
          {ranking && !published && (
            <Popconfirm title={t('ranking.publishConfirm', { year })} onConfirm={() => act(() => publishRanking(key))}>
              <Button danger loading={busy} data-testid="ranking-publish">
                {t('ranking.publish')}
              </Button>
            </Popconfirm>
          )}
        </Space>
        <Alert type="info" style={{ marginTop: 8 }} message={t('ranking.method')} />
      </Card>
      {answer.data && (
        <Descriptions size="small" column={1} style={{ marginBottom: 12 }} title={t('ranking.rules')}>
          {answer.data.rules.map((r) => (
            <Descriptions.Item key={r.id} label={r.document}>
              {r.text}
            </Descriptions.Item>
          ))}
          {answer.data.publishedYears.length > 0 && (
            <Descriptions.Item label={t('ranking.history')}>
              {t('ranking.publishedYears', { years: answer.data.publishedYears.join('、') })}
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
      {!ranking && !answer.loading && <Alert type="warning" showIcon message={t('ranking.none')} style={{ marginBottom: 12 }} />}
      {ranking && (
        <Card
          size="small"
          title={
            <Space>
              <Tag color={published ? 'green' : 'default'} data-testid="ranking-status">
                {t(published ? 'ranking.published' : 'ranking.draft')}
              </Tag>
              <span className="muted">
                {published && ranking.publishedAt
                  ? t('ranking.publishedAt', { by: ranking.publishedBy ?? '', at: new Date(ranking.publishedAt).toLocaleString() })
                  : t('ranking.computedAt', { at: new Date(ranking.computedAt).toLocaleString() })}
              </span>
            </Space>
          }
        >
          <Table<RankingRow>
            rowKey="regionId"
            size="small"
            pagination={false}
            dataSource={ranking.rows}
            columns={columns}
            scroll={{ x: 1200 }}
            data-testid="ranking-table"
          />
        </Card>
      )}
      <Card
        size="small"
        title={t('ranking.history')}
        style={{ marginTop: 12 }}
        extra={
          <Button size="small" href={rankingsXlsxUrl({ level })}>
            {t('ranking.export')}
          </Button>
        }
      >
        <Table
          rowKey="id"
          size="small"
          loading={history.loading}
          dataSource={history.data?.items ?? []}
          pagination={false}
          onRow={(r) => ({ onClick: () => (setYear(r.year), setScope(r.scopeRegionId)), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('assessment.year'), dataIndex: 'year', width: 80 },
            { title: t('ranking.scope'), dataIndex: 'scopeRegion', width: 120 },
            {
              title: t('ranking.col.consequences'),
              render: (_, r) => (
                <Space size={2} wrap>
                  <Tag color={r.status === 'published' ? 'green' : 'default'}>
                    {t(r.status === 'published' ? 'ranking.published' : 'ranking.draft')}
                  </Tag>
                  {r.yellowCards.map((x) => (
                    <Tag key={`y${x}`} color="gold">{`${t('ranking.yellowCard')}：${x}`}</Tag>
                  ))}
                  {r.vetoes.map((x) => (
                    <Tag key={`v${x}`} color="red">{`${t('ranking.veto')}：${x}`}</Tag>
                  ))}
                  {r.ineligible.map((x) => (
                    <Tag key={`i${x}`} color="volcano">{`${t('ranking.ineligible')}：${x}`}</Tag>
                  ))}
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
