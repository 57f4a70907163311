import { useEffect, useState, type HTMLAttributes } from 'react';
import { Alert, App, Button, Card, Empty, InputNumber, Modal, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DEPARTMENTS } from '@pingan/core';
import type { CampaignFull } from '../../api/campaigns';
import { errorMessage } from '../../api/client';
import {
  QUOTA_TABLES,
  getQuotas,
  importQuotas,
  loadQuotaTable,
  putQuotas,
  quotasXlsxUrl,
  type LoadReport,
  type QuotaInput,
} from '../../api/quotas';
import { useAsync } from '../../hooks/useAsync';
import { useI18n, useT } from '../../locales';
import PageContainer from '../../components/PageContainer';
import ErrorBox from '../../components/ErrorBox';
import CampaignPicker, { useCampaignParam } from './CampaignPicker';

/** Campaigns whose quotas an account works with: its own, or those it recommends into. */
const fits = (c: CampaignFull) => c.owned || c.chain?.rules?.entry === 'recommendation';

interface EditRow extends QuotaInput {
  key: number;
  used: number;
  source: 'table' | 'manual' | 'import' | 'new';
}

const DEPT_OPTIONS = Object.entries(DEPARTMENTS as Record<string, { zh: string; en: string }>);

/** 名额: the campaign office types, loads (004 附件) or imports the quota table; a recommender sees its own. */
export default function QuotasPage() {
  const t = useT();
  const { lang } = useI18n();
  const { message } = App.useApp();
  const { campaignId, setCampaignId, options, campaigns } = useCampaignParam(fits);
  const { data, error, loading, reload } = useAsync(() => (campaignId ? getQuotas(campaignId) : Promise.resolve(undefined)), [campaignId]);
  const [rows, setRows] = useState<EditRow[]>([]);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [loadOpen, setLoadOpen] = useState(false);

  useEffect(() => {
    if (!data) return;
    setRows(
      data.rows.map((r) => ({
        key: r.id,
        regionId: r.regionId,
        deptCode: r.deptCode,
        categoryCode: r.categoryCode,
        count: r.count,
        used: r.used,
        source: r.source,
      })),
    );
    setDirty(false);
    setSaveError(null);
  }, [data]);

  const edit = (key: number, patch: Partial<EditRow>) => {
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
    setDirty(true);
  };

  const save = async () => {
    if (!campaignId) return;
    setSaving(true);
    setSaveError(null);
    try {
      await putQuotas(
        campaignId,
        rows.map(({ regionId, deptCode, categoryCode, count }) => ({ regionId, deptCode, categoryCode, count })),
      );
      message.success(t('quotas.saved'));
      reload();
    } catch (e) {
      setSaveError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  const canEdit = data?.canEdit ?? false;
  const categoryOptions = [
    ...(data?.categories ?? []).map((c) => ({ value: c.code, label: `${c.name}（${c.code}）` })),
    ...[...new Set(rows.map((r) => r.categoryCode))]
      .filter((code) => code && !(data?.categories ?? []).some((c) => c.code === code))
      .map((code) => ({ value: code, label: t('quotas.notInCampaign', { code }) })),
  ];
  const whoOptions = [
    ...(data?.regions ?? []).map((r) => ({ value: `r:${r.id}`, label: r.name })),
    ...DEPT_OPTIONS.map(([code, d]) => ({ value: `d:${code}`, label: `${t('quotas.dept')}：${lang === 'zh-CN' ? d.zh : d.en}` })),
  ];
  const regionName = (id: number | null) =>
    data?.rows.find((r) => r.regionId === id)?.regionName ?? data?.regions.find((r) => r.id === id)?.name ?? String(id);
  const deptName = (code: string | null) => {
    const d = code ? (DEPARTMENTS as Record<string, { zh: string; en: string }>)[code] : undefined;
    return d ? (lang === 'zh-CN' ? d.zh : d.en) : (code ?? '');
  };

  const columns: ColumnsType<EditRow> = [
    {
      title: t('quotas.who'),
      key: 'who',
      render: (_: unknown, r) =>
        canEdit ? (
          <Select
            style={{ width: 220 }}
            showSearch={{ optionFilterProp: 'label' }}
            value={r.regionId !== null ? `r:${r.regionId}` : r.deptCode ? `d:${r.deptCode}` : undefined}
            placeholder={t('quotas.chooseWho')}
            options={whoOptions}
            onChange={(v: string) =>
              edit(r.key, v.startsWith('r:') ? { regionId: Number(v.slice(2)), deptCode: null } : { regionId: null, deptCode: v.slice(2) })
            }
          />
        ) : r.regionId !== null ? (
          regionName(r.regionId)
        ) : (
          `${t('quotas.dept')}：${deptName(r.deptCode)}`
        ),
    },
    {
      title: t('quotas.category'),
      key: 'category',
      render: (_: unknown, r) =>
        canEdit ? (
          <Select
            style={{ width: 220 }}
            value={r.categoryCode || undefined}
            placeholder={t('quotas.chooseCategory')}
            options={categoryOptions}
            onChange={(v: string) => edit(r.key, { categoryCode: v })}
          />
        ) : (
          (data?.rows.find((x) => x.id === r.key)?.categoryName ?? r.categoryCode)
        ),
    },
    {
      title: t('quotas.count'),
      key: 'count',
      width: 130,
      render: (_: unknown, r) =>
        canEdit ? (
          <InputNumber
            min={0}
            max={100000}
            precision={0}
            value={r.count}
            onChange={(v) => edit(r.key, { count: v ?? 0 })}
            aria-label={t('quotas.count')}
          />
        ) : (
          r.count
        ),
    },
    {
      title: t('quotas.used'),
      key: 'used',
      width: 110,
      render: (_: unknown, r) => (
        <Typography.Text type={r.used > r.count ? 'danger' : undefined}>
          {t('quotas.usedOf', { used: r.used, count: r.count })}
        </Typography.Text>
      ),
    },
    { title: t('quotas.source'), key: 'source', width: 110, render: (_: unknown, r) => <Tag>{t(`quotas.source.${r.source}`)}</Tag> },
    ...(canEdit
      ? [
          {
            title: '',
            key: 'ops',
            width: 80,
            render: (_: unknown, r: EditRow) => (
              <Button
                type="link"
                danger
                onClick={() => {
                  setRows((rs) => rs.filter((x) => x.key !== r.key));
                  setDirty(true);
                }}
              >
                {t('quotas.remove')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <PageContainer
      title={t('quotas.title')}
      subTitle={t('quotas.subtitle')}
      extra={
        <Space wrap>
          <CampaignPicker
            value={campaignId}
            options={options}
            loading={campaigns.loading}
            onChange={setCampaignId}
            testId="quota-campaign"
          />
          {campaignId && data && (
            <Button href={quotasXlsxUrl(campaignId)} data-testid="quota-export">
              {t('quotas.export')}
            </Button>
          )}
        </Space>
      }
    >
      {(error || campaigns.error) && <ErrorBox error={(error ?? campaigns.error)!} onRetry={reload} />}
      {!campaigns.loading && !options.length && <Empty description={t('quotas.noCampaign')} />}
      {data && !canEdit && data.recommender && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('quotas.mine', { name: data.recommender.name })}
          description={t('quotas.mineHint')}
        />
      )}
      {data && canEdit && (
        <Space wrap style={{ marginBottom: 16 }}>
          <Button onClick={() => setLoadOpen(true)} data-testid="quota-load">
            {t('quotas.load')}
          </Button>
          <Upload
            accept=".xlsx"
            showUploadList={false}
            beforeUpload={async (file) => {
              try {
                const r = await importQuotas(campaignId!, file);
                message.success(t('quotas.imported', { n: r.imported }));
                reload();
              } catch (e) {
                setSaveError(errorMessage(e));
              }
              return false;
            }}
          >
            <Button data-testid="quota-import">{t('quotas.import')}</Button>
          </Upload>
          <Typography.Text type="secondary">{t('quotas.importHint')}</Typography.Text>
        </Space>
      )}
      {saveError && (
        <Alert
          type="error"
          showIcon
          closable
          style={{ marginBottom: 16 }}
          title={t('quotas.saveFailed')}
          description={saveError}
          data-testid="quota-error"
          onClose={() => setSaveError(null)}
        />
      )}
      <Card styles={{ body: { padding: 0 } }}>
        <Table<EditRow>
          rowKey="key"
          loading={loading}
          columns={columns}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 'max-content' }}
          onRow={(r) => ({ 'data-testid': `quota-row-${r.categoryCode}` }) as HTMLAttributes<HTMLTableRowElement>}
          locale={{ emptyText: t('quotas.empty') }}
        />
      </Card>
      {canEdit && (
        <Space style={{ marginTop: 16 }}>
          <Button
            onClick={() => {
              setRows((rs) => [
                ...rs,
                {
                  key: -Date.now(),
                  regionId: null,
                  deptCode: null,
                  categoryCode: data?.categories[0]?.code ?? '',
                  count: 0,
                  used: 0,
                  source: 'new',
                },
              ]);
              setDirty(true);
            }}
            data-testid="quota-add"
          >
            {t('quotas.add')}
          </Button>
          <Button type="primary" disabled={!dirty} loading={saving} onClick={save} data-testid="quota-save">
            {t('quotas.save')}
          </Button>
        </Space>
      )}
      {campaignId && data && canEdit && (
        <LoadModal
          open={loadOpen}
          campaignId={campaignId}
          regions={data.regions}
          categories={data.categories}
          onClose={() => setLoadOpen(false)}
          onLoaded={reload}
        />
      )}
    </PageContainer>
  );
}

/** Loads 004's table; names that do not match are mapped here and the table loaded again. */
function LoadModal({
  open,
  campaignId,
  regions,
  categories,
  onClose,
  onLoaded,
}: {
  open: boolean;
  campaignId: number;
  regions: { id: number; name: string }[];
  categories: { code: string; name: string }[];
  onClose: () => void;
  onLoaded: () => void;
}) {
  const t = useT();
  const [code, setCode] = useState<string>(QUOTA_TABLES[0].code);
  const [regionMap, setRegionMap] = useState<Record<string, number>>({});
  const [categoryMap, setCategoryMap] = useState<Record<string, string>>({});
  const [report, setReport] = useState<LoadReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);

  const run = async () => {
    setBusy(true);
    setErr(null);
    try {
      const r = await loadQuotaTable(campaignId, { code, regionMap, categoryMap });
      setReport(r);
      onLoaded();
    } catch (e) {
      setErr(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const outside = report?.categories.filter((c) => !c.inCampaign) ?? [];

  return (
    <Modal
      open={open}
      title={t('quotas.loadTitle')}
      onCancel={onClose}
      width={720}
      footer={[
        <Button key="c" onClick={onClose}>
          {t('quotas.close')}
        </Button>,
        <Button key="l" type="primary" loading={busy} onClick={run} data-testid="quota-load-run">
          {report ? t('quotas.loadAgain') : t('quotas.loadRun')}
        </Button>,
      ]}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Select
          style={{ width: '100%' }}
          value={code}
          onChange={setCode}
          options={QUOTA_TABLES.map((x) => ({ value: x.code, label: x.name }))}
        />
        <Typography.Text type="secondary">{t('quotas.loadHint')}</Typography.Text>
        {err && <Alert type="error" showIcon title={err} />}
        {report && (
          <Alert type={report.unmatched.length ? 'warning' : 'success'} showIcon title={report.message} data-testid="quota-load-report" />
        )}
        {report && report.matched.length > 0 && (
          <Typography.Paragraph>
            {t('quotas.matched')}
            {report.matched.map((m) => `${m.tableRegion} → ${m.regionName}`).join('；')}
          </Typography.Paragraph>
        )}
        {report && report.unmatched.length > 0 && (
          <Card size="small" title={t('quotas.mapRegions')}>
            {report.unmatched.map((name) => (
              <Space key={name} style={{ display: 'flex', marginBottom: 8 }} wrap>
                <span style={{ display: 'inline-block', minWidth: 180 }}>{name}</span>
                <Select<number>
                  allowClear
                  style={{ width: 220 }}
                  placeholder={t('quotas.skipRegion')}
                  value={regionMap[name]}
                  onChange={(v) =>
                    setRegionMap((m) => {
                      const n = { ...m };
                      if (v === undefined) delete n[name];
                      else n[name] = v;
                      return n;
                    })
                  }
                  options={regions.map((r) => ({ value: r.id, label: r.name }))}
                />
              </Space>
            ))}
          </Card>
        )}
        {outside.length > 0 && (
          <Card size="small" title={t('quotas.mapCategories')}>
            {outside.map((c) => (
              <Space key={c.code} style={{ display: 'flex', marginBottom: 8 }} wrap>
                <span style={{ display: 'inline-block', minWidth: 180 }}>{c.code}</span>
                <Select<string>
                  allowClear
                  style={{ width: 220 }}
                  placeholder={t('quotas.keepCode')}
                  value={Object.entries(categoryMap).find(([k]) => k === c.code)?.[1]}
                  onChange={(v) =>
                    setCategoryMap((m) => {
                      const n = { ...m };
                      if (v === undefined) delete n[c.code];
                      else n[c.code] = v;
                      return n;
                    })
                  }
                  options={categories.map((x) => ({ value: x.code, label: `${x.name}（${x.code}）` }))}
                />
              </Space>
            ))}
          </Card>
        )}
      </Space>
    </Modal>
  );
}
