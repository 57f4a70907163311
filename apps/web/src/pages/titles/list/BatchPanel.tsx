import { useEffect, useState } from 'react';
import { Alert, Button, Card, Checkbox, Input, Progress, Radio, Select, Space, Table, Typography, message } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import {
  batchPdfUrl,
  batchZipUrl,
  getCertificateBatch,
  listCertificateBatches,
  setNamingDocument,
  startCertificateBatch,
  type CertificateLayout,
} from '../../../api/titles';
import { ApiError, errorMessage } from '../../../api/client';
import type { Campaign, CertificateBatch } from '../../../api/types';
import { useAsync } from '../../../hooks/useAsync';
import { useT } from '../../../locales';
import { fmtTime } from '../../../utils/format';

const POLL_MS = 1000;

/** Polls a running batch until it is done or failed. */
function useBatch(id: number | null, onFinished: () => void) {
  const [batch, setBatch] = useState<CertificateBatch | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setBatch(null);
    setError(null);
    if (!id) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const b = await getCertificateBatch(id);
        if (!live) return;
        setBatch(b);
        if (b.status === 'running') timer = setTimeout(poll, POLL_MS);
        else onFinished();
      } catch (e) {
        if (!live) return;
        if (e instanceof ApiError && e.status === 0) timer = setTimeout(poll, POLL_MS * 4);
        else setError(errorMessage(e));
      }
    };
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);
  return { batch, error };
}

function Downloads({ b }: { b: CertificateBatch }) {
  const t = useT();
  if (b.status !== 'done') return null;
  return (
    <Space wrap>
      <Button size="small" href={batchPdfUrl(b.id)} data-testid={`batch-pdf-${b.id}`}>
        {t('titles.batch.pdf')}
      </Button>
      <Button size="small" href={batchZipUrl(b.id)} data-testid={`batch-zip-${b.id}`}>
        {t('titles.batch.zip')}
      </Button>
    </Space>
  );
}

/** 批量生成证书 (the campaign's office): the naming document, the layout, the job with its progress, the files. */
export default function BatchPanel({ campaigns, preferred }: { campaigns: Campaign[]; preferred?: number[] }) {
  const t = useT();
  const [campaignId, setCampaignId] = useState<number | undefined>(undefined);
  const [layout, setLayout] = useState<CertificateLayout>('plaque');
  const [running, setRunning] = useState<number | null>(null);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const [naming, setNaming] = useState('');
  const [overwrite, setOverwrite] = useState(false);
  const [savingNaming, setSavingNaming] = useState(false);
  // by default a campaign that has titles on the list below, else the first the office runs
  const chosen = campaignId ?? campaigns.find((c) => preferred?.includes(c.id))?.id ?? campaigns[0]?.id;

  const history = useAsync(() => (chosen ? listCertificateBatches(chosen) : Promise.resolve({ items: [], total: 0 })), [chosen]);
  const { batch, error } = useBatch(running, history.reload);
  // a batch still running from before (another tab, a reload): follow it
  useEffect(() => {
    const open = history.data?.items.find((b) => b.status === 'running');
    if (open && running === null) setRunning(open.id);
  }, [history.data, running]);

  if (!campaigns.length) return null;

  const start = async () => {
    if (!chosen) return;
    setStarting(true);
    setStartError(null);
    try {
      setRunning((await startCertificateBatch(chosen, layout)).id);
    } catch (e) {
      setStartError(errorMessage(e));
    } finally {
      setStarting(false);
    }
  };

  const saveNaming = async () => {
    if (!chosen || !naming.trim()) return;
    setSavingNaming(true);
    try {
      const r = await setNamingDocument(chosen, naming.trim(), overwrite);
      void message.success(t('titles.naming.saved', { n: r.updated }));
    } catch (e) {
      void message.error(errorMessage(e));
    } finally {
      setSavingNaming(false);
    }
  };

  const percent = batch && batch.total > 0 ? Math.floor((batch.done / batch.total) * 100) : batch?.status === 'done' ? 100 : 0;
  const columns: ColumnsType<CertificateBatch> = [
    { title: t('titles.batch.createdAt'), dataIndex: 'createdAt', width: 150, render: (s: string) => fmtTime(s) },
    {
      title: t('titles.batch.layout'),
      dataIndex: 'layout',
      width: 100,
      render: (l: CertificateLayout) => (l === 'a4' ? t('titles.a4') : t('titles.plaque')),
    },
    {
      title: t('titles.batch.progress'),
      key: 'progress',
      width: 160,
      render: (_: unknown, b) =>
        b.status === 'failed' ? (
          <Typography.Text type="danger">{b.error ?? t('titles.batch.failed')}</Typography.Text>
        ) : b.status === 'running' ? (
          t('titles.batch.running', { done: b.done, total: b.total })
        ) : (
          t('titles.batch.done', { total: b.total })
        ),
    },
    { title: '', key: 'files', render: (_: unknown, b) => <Downloads b={b} /> },
  ];

  return (
    <Card title={t('titles.batch.title')} size="small" style={{ marginBottom: 16 }} data-testid="batch-panel">
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('titles.batch.hint')}</Typography.Text>
        <Space wrap>
          <Select<number>
            style={{ width: 320, maxWidth: '100%' }}
            value={chosen}
            placeholder={t('titles.batch.chooseCampaign')}
            onChange={(v) => {
              setCampaignId(v);
              setRunning(null);
            }}
            options={campaigns.map((c) => ({ value: c.id, label: c.name }))}
            data-testid="batch-campaign"
          />
          <Radio.Group value={layout} onChange={(e) => setLayout(e.target.value as CertificateLayout)} data-testid="batch-layout">
            <Radio.Button value="plaque">{t('titles.plaque')}</Radio.Button>
            <Radio.Button value="a4">{t('titles.a4')}</Radio.Button>
          </Radio.Group>
          <Button
            type="primary"
            loading={starting}
            disabled={batch?.status === 'running'}
            onClick={() => void start()}
            data-testid="batch-start"
          >
            {t('titles.batch.start')}
          </Button>
        </Space>
        <Space wrap>
          <Input
            style={{ width: 300, maxWidth: '100%' }}
            value={naming}
            maxLength={80}
            placeholder={t('titles.naming.placeholder')}
            addonBefore={t('titles.naming.label')}
            onChange={(e) => setNaming(e.target.value)}
            data-testid="naming-document"
          />
          <Checkbox checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)}>
            {t('titles.naming.overwrite')}
          </Checkbox>
          <Button loading={savingNaming} disabled={!naming.trim()} onClick={() => void saveNaming()} data-testid="naming-save">
            {t('titles.naming.save')}
          </Button>
        </Space>
        {startError && <Alert type="error" showIcon title={startError} />}
        {error && <Alert type="error" showIcon title={t('titles.batch.pollFailed', { msg: error })} />}
        {batch && (
          <div data-testid="batch-progress" data-state={batch.status}>
            <Progress
              percent={percent}
              status={batch.status === 'failed' ? 'exception' : batch.status === 'done' ? 'success' : 'active'}
              format={() => `${batch.done}/${batch.total}`}
            />
            {batch.status === 'failed' && <Alert type="error" showIcon title={batch.error ?? t('titles.batch.failed')} />}
            <Downloads b={batch} />
          </div>
        )}
        <Table<CertificateBatch>
          size="small"
          rowKey="id"
          title={() => t('titles.batch.history')}
          loading={history.loading}
          columns={columns}
          dataSource={history.data?.items ?? []}
          pagination={false}
          scroll={{ x: 700 }}
          locale={{ emptyText: t('titles.batch.none') }}
        />
      </Space>
    </Card>
  );
}
