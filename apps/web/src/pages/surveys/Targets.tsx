import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, InputNumber, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { proposeTargets, saveTargets, type SurveyT } from '../../api/surveys';
import { errorMessage } from '../../api/client';
import { useI18n, type MessageKey } from '../../locales';

type Option = SurveyT['regionOptions'][number];
type Basis = 'population' | 'households' | 'manual';

/**
 * 抽样方案: a target per subregion. The helper sizes targets from a total by population or households
 * (proportional, a minimum each, whole numbers adding up to the total); every figure stays editable.
 */
export default function Targets({ survey, onSaved }: { survey: SurveyT; onSaved: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const editable = survey.owned && survey.status !== 'closed';
  const [plan, setPlan] = useState<Map<number, { target: number; basis: Basis }>>(new Map());
  const [total, setTotal] = useState(400);
  const [min, setMin] = useState(30);
  const [basis, setBasis] = useState<'population' | 'households'>('population');
  const [level, setLevel] = useState<'county' | 'town' | 'village' | undefined>(undefined);
  const [missing, setMissing] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  useEffect(() => setPlan(new Map(survey.targets.map((x) => [x.regionId, { target: x.target, basis: x.basis }]))), [survey]);
  const levels = useMemo(() => [...new Set(survey.regionOptions.map((o) => o.level))], [survey]);
  const sum = [...plan.values()].reduce((a, x) => a + x.target, 0);

  const propose = async () => {
    try {
      const p = await proposeTargets(survey.id, { total, min, basis, level });
      setPlan(
        new Map(p.items.map((x) => [x.regionId, { target: x.target, basis: p.missingBasis.length === p.items.length ? 'manual' : basis }])),
      );
      setMissing(p.missingBasis);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const save = async () => {
    setBusy(true);
    try {
      await saveTargets(
        survey.id,
        [...plan].map(([regionId, x]) => ({ regionId, ...x })),
      );
      message.success(t('surveys.targets.saved'));
      onSaved();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const setTarget = (id: number, v: number | null) => {
    const next = new Map(plan);
    if (v === null) next.delete(id);
    else next.set(id, { target: v, basis: 'manual' });
    setPlan(next);
  };

  const columns: ColumnsType<Option> = [
    {
      title: t('surveys.col.region'),
      dataIndex: 'name',
      render: (n: string, o) => <span style={{ paddingLeft: o.level === 'village' ? 32 : o.level === 'town' ? 16 : 0 }}>{n}</span>,
    },
    { title: t('surveys.targets.level'), dataIndex: 'level', width: 90, render: (l: string) => t(`surveys.level.${l}` as MessageKey) },
    { title: t('surveys.targets.population'), dataIndex: 'population', width: 110, align: 'right', render: (v: number | null) => v ?? '—' },
    { title: t('surveys.targets.households'), dataIndex: 'households', width: 110, align: 'right', render: (v: number | null) => v ?? '—' },
    {
      title: t('surveys.targets.target'),
      key: 'target',
      width: 150,
      render: (_: unknown, o) =>
        editable ? (
          <InputNumber
            min={0}
            max={1_000_000}
            value={plan.get(o.id)?.target ?? null}
            onChange={(v) => setTarget(o.id, v)}
            placeholder="—"
            data-testid={`target-${o.id}`}
          />
        ) : (
          (plan.get(o.id)?.target ?? '—')
        ),
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {editable && (
        <Card size="small" title={t('surveys.targets.size')}>
          <Space wrap>
            <InputNumber
              addonBefore={t('surveys.targets.total')}
              min={1}
              max={1_000_000}
              value={total}
              onChange={(v) => setTotal(v ?? total)}
            />
            <InputNumber addonBefore={t('surveys.targets.min')} min={0} max={100_000} value={min} onChange={(v) => setMin(v ?? 0)} />
            <Select
              value={basis}
              onChange={setBasis}
              style={{ width: 120 }}
              options={[
                { value: 'population', label: t('surveys.targets.population') },
                { value: 'households', label: t('surveys.targets.households') },
              ]}
            />
            <Select
              allowClear
              placeholder={t('surveys.targets.level')}
              value={level}
              onChange={setLevel}
              style={{ width: 140 }}
              options={levels.map((l) => ({ value: l as 'county' | 'town' | 'village', label: t(`surveys.level.${l}` as MessageKey) }))}
            />
            <Button onClick={propose} data-testid="targets-propose">
              {t('surveys.targets.propose')}
            </Button>
          </Space>
          {missing.length > 0 && (
            <Alert style={{ marginTop: 8 }} type="warning" showIcon title={t('surveys.targets.missing', { names: missing.join('、') })} />
          )}
        </Card>
      )}
      <Table<Option>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={survey.regionOptions}
        pagination={{ defaultPageSize: 50, showSizeChanger: true, pageSizeOptions: [50, 100, 200], hideOnSinglePage: true }}
      />
      <Space>
        <Typography.Text strong>{t('surveys.targets.sum', { n: sum, k: plan.size })}</Typography.Text>
        {editable && (
          <Button type="primary" onClick={save} loading={busy} data-testid="targets-save">
            {t('surveys.targets.save')}
          </Button>
        )}
      </Space>
    </Space>
  );
}
