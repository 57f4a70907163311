import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Card, Descriptions, Empty, Space, Steps, Table, Tag, Typography } from 'antd';
import { campaignsXlsxUrl, listCampaigns, withdrawCampaign, type CampaignFull } from '../../../api/campaigns';
import type { CampaignCategory } from '../../../api/types';
import { useAsync } from '../../../hooks/useAsync';
import { useMe } from '../../../auth/AuthContext';
import { access } from '../../../access';
import { useT } from '../../../locales';
import PageContainer from '../../../components/PageContainer';
import ErrorBox from '../../../components/ErrorBox';
import PhaseSteps from '../PhaseSteps';
import RateCampaign from './RateCampaign';
import { ownerKey } from '../ChainEditor';
import ReasonModal from '../../notices/ReasonModal';

function CampaignCard({ c, canRate, onChanged }: { c: CampaignFull; canRate: boolean; onChanged: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [withdrawing, setWithdrawing] = useState(false);
  return (
    <Card
      className="campaign-card"
      data-testid={`campaign-${c.id}`}
      title={
        <Space wrap>
          <span>{c.name}</span>
          <Tag color="red">{c.year}</Tag>
          {c.status === 'withdrawn' && (
            <Tag color="default" data-testid={`campaign-withdrawn-${c.id}`}>
              {t('campaigns.withdrawn')}
            </Tag>
          )}
          {c.owned && <Tag color="blue">{t('campaigns.owned')}</Tag>}
        </Space>
      }
      extra={
        <Space>
          <Typography.Text type="secondary">{c.regionName}</Typography.Text>
          {canRate && c.owned && c.status === 'active' && <RateCampaign c={c} />}
          {c.canEdit && (
            <Link to={`/campaigns/${c.id}/edit`}>
              <Button size="small" data-testid={`campaign-edit-${c.id}`}>
                {t('campaigns.edit')}
              </Button>
            </Link>
          )}
          {c.canEdit && (
            <Button size="small" danger onClick={() => setWithdrawing(true)} data-testid={`campaign-withdraw-${c.id}`}>
              {t('campaigns.withdraw')}
            </Button>
          )}
        </Space>
      }
    >
      <ReasonModal
        open={withdrawing}
        title={t('campaigns.withdrawTitle', { name: c.name })}
        hint={t('campaigns.withdrawHint')}
        testId={`campaign-withdraw-modal-${c.id}`}
        onClose={() => setWithdrawing(false)}
        onSubmit={async (reason) => {
          await withdrawCampaign(c.id, reason);
          message.success(t('campaigns.withdrawDone'));
          onChanged();
        }}
      />
      {c.status === 'withdrawn' && c.withdrawnReason && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('campaigns.withdrawnReason', { reason: c.withdrawnReason })} />
      )}
      <Descriptions size="small" column={{ xs: 1, sm: 3 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('campaigns.region')}>{c.regionName}</Descriptions.Item>
        <Descriptions.Item label={t('campaigns.applyDeadline')}>
          <strong>{c.applyDeadline}</strong>
        </Descriptions.Item>
        <Descriptions.Item label={t('campaigns.reviewDeadline')}>{c.reviewDeadline}</Descriptions.Item>
      </Descriptions>
      <div className="campaign-chain" data-testid={`campaign-chain-${c.id}`} style={{ marginBottom: 16 }}>
        <Typography.Text strong>
          {t('campaigns.chain')}：{c.chain.name}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ marginLeft: 12 }}>
          {t('campaigns.minNotice', { n: c.minNoticeDays })}
        </Typography.Text>
        <Steps
          size="small"
          current={-1}
          style={{ marginTop: 12 }}
          items={c.chain.steps.map((s) => ({
            title: s.name,
            status: 'wait' as const,
            content: (
              <span>
                {t(ownerKey(s.owner))}
                {s.deadline ? ` · ${s.deadline}` : ''}
              </span>
            ),
          }))}
        />
      </div>
      {c.phases.length > 0 && (
        <div className="campaign-phases">
          <Typography.Text strong>{t('campaigns.phases')}</Typography.Text>
          <div style={{ marginTop: 12 }}>
            <PhaseSteps phases={c.phases} />
          </div>
        </div>
      )}
      <Table<CampaignCategory>
        rowKey="code"
        size="small"
        pagination={false}
        dataSource={c.categories}
        style={{ marginTop: 16 }}
        columns={[
          { title: t('campaigns.category'), dataIndex: 'name', width: 160, render: (n: string) => <strong>{n}</strong> },
          {
            title: t('campaigns.standard'),
            key: 'standard',
            render: (_: unknown, r) => (
              <Link to={`/standards/versions/${r.standardVersionId}`}>
                {r.standardTitle}（{t('campaigns.version', { n: r.version })}）
              </Link>
            ),
          },
          {
            title: t('campaigns.quota'),
            dataIndex: 'quota',
            width: 100,
            align: 'right',
            render: (q: number | null) => q ?? t('campaigns.noQuota'),
          },
        ]}
      />
    </Card>
  );
}

export default function CampaignListPage() {
  const t = useT();
  const me = useMe();
  const { data, error, loading, reload } = useAsync(listCampaigns, []);
  return (
    <PageContainer
      title={t('campaigns.title')}
      extra={
        <Space>
          <Button href={campaignsXlsxUrl()} data-testid="campaigns-export">
            {t('common.exportXlsx')}
          </Button>
          {access.createCampaign(me.role) && (
            <Link to="/campaigns/new">
              <Button type="primary" data-testid="new-campaign">
                {t('campaigns.new')}
              </Button>
            </Link>
          )}
        </Space>
      }
    >
      {error && <ErrorBox error={error} onRetry={reload} />}
      {loading && !data ? (
        <Card loading />
      ) : data && data.length === 0 ? (
        <Card>
          <Empty description={t('campaigns.empty')} />
        </Card>
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          {data?.map((c) => (
            <CampaignCard key={c.id} c={c} canRate={me.role === 'safety_office'} onChanged={reload} />
          ))}
        </Space>
      )}
    </PageContainer>
  );
}
