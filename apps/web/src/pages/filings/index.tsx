import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { App, Button, Card, Empty, Select, Space, Table, Tabs, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { FILING_STATES, type FilingState } from '@pingan/core';
import { errorMessage } from '../../api/client';
import { listFilingCampaigns, listMine, openFiling, type MyFiling } from '../../api/filings';
import { useAsync } from '../../hooks/useAsync';
import { useI18n } from '../../locales';
import PageContainer from '../../components/PageContainer';
import ErrorBox from '../../components/ErrorBox';
import { KindTag, StateTag } from './tags';
import ManagePanel from './manage';

const PAGE_SIZE = 20;

/**
 * 报备: a filer (a county or town office, a department) sees what it must file and opens the form;
 * the campaign's office sets the requirements and watches the matrix. An office that does both
 * (a county files with the city and runs its own round) gets both tabs.
 */
export default function FilingListPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const campaigns = useAsync(() => listFilingCampaigns(), []);
  const files = (campaigns.data?.items ?? []).some((c) => c.files);
  const manages = (campaigns.data?.items ?? []).filter((c) => !c.files || c.manages);
  const tab = params.get('tab') ?? (files ? 'mine' : 'manage');
  const setTab = (k: string) => setParams(new URLSearchParams({ tab: k }));

  return (
    <PageContainer title={t('filings.title')} subTitle={t('filings.subtitle')}>
      {campaigns.error && <ErrorBox error={campaigns.error} onRetry={campaigns.reload} />}
      {campaigns.data && !campaigns.data.items.length && <Empty description={t('filings.noCampaign')} />}
      {campaigns.data && campaigns.data.items.length > 0 && (
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            ...(files ? [{ key: 'mine', label: t('filings.tab.mine'), children: <MinePanel /> }] : []),
            ...(manages.length ? [{ key: 'manage', label: t('filings.tab.manage'), children: <ManagePanel campaigns={manages} /> }] : []),
          ]}
        />
      )}
    </PageContainer>
  );
}

/** What my organisation must file, by due date, with its state and the way in. */
function MinePanel() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [state, setState] = useState<FilingState | ''>('');
  const [page, setPage] = useState(1);
  const [busy, setBusy] = useState<number | null>(null);
  const list = useAsync(() => listMine({ state: state || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }), [state, page]);
  const open = async (r: MyFiling) => {
    if (r.filingId && r.state !== 'not_filed') return navigate(`/filings/${r.filingId}`);
    setBusy(r.requirement.id);
    try {
      const f = await openFiling(r.requirement.id);
      navigate(`/filings/${f.id}`);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  const columns: ColumnsType<MyFiling> = [
    {
      title: t('filings.col.requirement'),
      key: 'title',
      render: (_, r) => (
        <Space orientation="vertical" size={0}>
          <Space size={4}>
            <KindTag kind={r.requirement.kind} />
            <strong>{r.requirement.title}</strong>
          </Space>
          {r.reason && <Typography.Text type="danger">{t('filings.returnedBecause', { reason: r.reason })}</Typography.Text>}
        </Space>
      ),
    },
    { title: t('filings.col.campaign'), dataIndex: 'campaignName', width: 240, ellipsis: true },
    { title: t('filings.col.office'), dataIndex: 'officeName', width: 140 },
    { title: t('filings.col.dueOn'), key: 'due', width: 110, render: (_, r) => r.requirement.dueOn },
    { title: t('filings.col.state'), key: 'state', width: 140, render: (_, r) => <StateTag state={r.state} late={r.late} /> },
    {
      title: t('filings.col.actions'),
      key: 'actions',
      width: 100,
      render: (_, r) => (
        <Button
          size="small"
          type={r.state === 'not_filed' || r.state === 'returned' ? 'primary' : 'default'}
          loading={busy === r.requirement.id}
          onClick={() => void open(r)}
          data-testid={`filing-open-${r.requirement.id}`}
        >
          {r.state === 'not_filed' || r.state === 'draft' || r.state === 'returned' ? t('filings.open') : t('filings.view')}
        </Button>
      ),
    },
  ];
  return (
    <Card>
      {list.error && <ErrorBox error={list.error} onRetry={list.reload} />}
      <Space style={{ marginBottom: 12 }}>
        <Select<FilingState | ''>
          style={{ width: 150 }}
          value={state}
          onChange={(v) => {
            setState(v);
            setPage(1);
          }}
          options={[
            { value: '', label: t('filings.allStates') },
            ...FILING_STATES.map((s) => ({ value: s, label: t(`filings.state.${s}`) })),
          ]}
          data-testid="filings-mine-state"
        />
      </Space>
      <Table<MyFiling>
        rowKey={(r) => r.requirement.id}
        size="middle"
        loading={list.loading}
        columns={columns}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('filings.mine.empty') }}
        scroll={{ x: 1000 }}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
        data-testid="filings-mine"
      />
    </Card>
  );
}
