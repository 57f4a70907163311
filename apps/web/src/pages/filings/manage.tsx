import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { App, Button, Card, Checkbox, Input, Select, Space, Table, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { FILER_KINDS, FILING_STATES, type FilerKind, type FilingState } from '@pingan/core';
import { errorMessage } from '../../api/client';
import { getMatrix, matrixXlsxUrl, remindFiler, remindLate, type FilingCampaign, type FilingMatrix } from '../../api/filings';
import { useAsync } from '../../hooks/useAsync';
import { useI18n } from '../../locales';
import ErrorBox from '../../components/ErrorBox';
import { KindTag, StateTag } from './tags';
import RequirementsCard from './requirements';

const PAGE_SIZE = 20;
type Row = FilingMatrix['rows'][number];

/** The office's view: the campaign's requirements, then the matrix requirement × filer with colour tags. */
export default function ManagePanel({ campaigns }: { campaigns: FilingCampaign[] }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [campaignId, setCampaignId] = useState<number>(campaigns.find((c) => c.manages)?.id ?? campaigns[0]!.id);
  const [filers, setFilers] = useState<FilerKind | ''>('');
  const [state, setState] = useState<FilingState | ''>('');
  const [late, setLate] = useState(false);
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const filter = {
    campaignId,
    filers: filers || undefined,
    state: state || undefined,
    late: late ? ('1' as const) : undefined,
    q: q || undefined,
  };
  const matrix = useAsync(
    () => getMatrix({ ...filter, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    [campaignId, filers, state, late, q, page],
  );
  const m = matrix.data;
  const canManage = !!m?.campaign.canManage;
  const reset = (fn: () => void) => {
    fn();
    setPage(1);
  };

  const remindOne = async (requirementId: number, orgId: number) => {
    try {
      await remindFiler(requirementId, orgId);
      message.success(t('filings.remindedOne'));
      matrix.reload();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const remindAll = async () => {
    try {
      const r = await remindLate(campaignId);
      message.success(t('filings.reminded', { n: r.reminded, m: r.skipped }));
      matrix.reload();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const columns: ColumnsType<Row> = [
    {
      title: t('filings.col.filer'),
      key: 'filer',
      fixed: 'left',
      width: 180,
      render: (_, r) => (
        <span>
          <strong>{r.org.name}</strong>
          <br />
          <span className="muted">
            {t(`filings.filers.${r.org.kind}`)} · {r.org.regionName}
          </span>
        </span>
      ),
    },
    ...(m?.requirements ?? []).map((req) => ({
      title: (
        <Tooltip title={req.title}>
          <Space orientation="vertical" size={0}>
            <KindTag kind={req.kind} />
            <span className="muted">{req.dueOn}</span>
          </Space>
        </Tooltip>
      ),
      key: `r${req.id}`,
      width: 150,
      render: (_: unknown, r: Row) => {
        const cell = r.cells.find((c) => c.requirementId === req.id);
        if (!cell) return <span className="muted">—</span>;
        return (
          <Space orientation="vertical" size={2} data-testid={`cell-${req.id}-${r.org.id}`}>
            {cell.filingId ? (
              <a onClick={() => navigate(`/filings/${cell.filingId}`)}>
                <StateTag state={cell.state} late={cell.late} />
              </a>
            ) : (
              <StateTag state={cell.state} late={cell.late} />
            )}
            {canManage && cell.state !== 'submitted' && cell.state !== 'accepted' && (
              <Button size="small" type="link" style={{ padding: 0 }} onClick={() => void remindOne(req.id, r.org.id)}>
                {t('filings.remind')}
              </Button>
            )}
          </Space>
        );
      },
    })),
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space wrap>
        <span>{t('filings.campaign')}</span>
        <Select<number>
          style={{ minWidth: 360 }}
          value={campaignId}
          onChange={(v) => reset(() => setCampaignId(v))}
          options={campaigns.map((c) => ({ value: c.id, label: `${c.name}（${c.regionName}）` }))}
          data-testid="filings-campaign"
        />
      </Space>
      <RequirementsCard campaignId={campaignId} canManage={canManage} onChange={matrix.reload} />
      <Card
        title={t('filings.tab.manage')}
        extra={
          <Space wrap>
            <Button href={matrixXlsxUrl(filter)} data-testid="filings-export">
              {t('filings.export')}
            </Button>
            {canManage && (
              <Button danger onClick={() => void remindAll()} data-testid="filings-remind-late">
                {t('filings.remindLate')}
              </Button>
            )}
          </Space>
        }
      >
        {matrix.error && <ErrorBox error={matrix.error} onRetry={matrix.reload} />}
        <Space wrap style={{ marginBottom: 12 }}>
          <Select<FilerKind | ''>
            style={{ width: 150 }}
            value={filers}
            onChange={(v) => reset(() => setFilers(v))}
            options={[
              { value: '', label: t('filings.allFilers') },
              ...FILER_KINDS.map((k) => ({ value: k, label: t(`filings.filers.${k}`) })),
            ]}
          />
          <Select<FilingState | ''>
            style={{ width: 140 }}
            value={state}
            onChange={(v) => reset(() => setState(v))}
            options={[
              { value: '', label: t('filings.allStates') },
              ...FILING_STATES.map((s) => ({ value: s, label: t(`filings.state.${s}`) })),
            ]}
            data-testid="filings-filter-state"
          />
          <Checkbox checked={late} onChange={(e) => reset(() => setLate(e.target.checked))} data-testid="filings-filter-late">
            {t('filings.lateOnly')}
          </Checkbox>
          <Input.Search
            allowClear
            style={{ width: 220 }}
            placeholder={t('filings.search')}
            maxLength={100}
            onSearch={(v) => reset(() => setQ(v.trim()))}
          />
        </Space>
        <Table<Row>
          rowKey={(r) => r.org.id}
          size="small"
          bordered
          loading={matrix.loading}
          columns={columns}
          dataSource={m?.rows ?? []}
          scroll={{ x: 180 + 150 * (m?.requirements.length ?? 0) }}
          locale={{ emptyText: t('filings.matrix.empty') }}
          pagination={{ current: page, pageSize: PAGE_SIZE, total: m?.total ?? 0, showSizeChanger: false, onChange: setPage }}
          data-testid="filings-matrix"
        />
      </Card>
    </Space>
  );
}
