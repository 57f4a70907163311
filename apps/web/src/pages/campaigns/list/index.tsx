import { Link } from 'react-router-dom';
import { Button, Card, Descriptions, Empty, Space, Table, Tag, Typography } from 'antd';
import { listCampaigns } from '../../../api/campaigns';
import type { Campaign, CampaignCategory } from '../../../api/types';
import { useAsync } from '../../../hooks/useAsync';
import { useMe } from '../../../auth/AuthContext';
import { access } from '../../../access';
import { useT } from '../../../locales';
import PageContainer from '../../../components/PageContainer';
import ErrorBox from '../../../components/ErrorBox';
import PhaseSteps from '../PhaseSteps';
import RateCampaign from './RateCampaign';

function CampaignCard({ c, canRate }: { c: Campaign; canRate: boolean }) {
  const t = useT();
  return (
    <Card
      className="campaign-card"
      data-testid={`campaign-${c.id}`}
      title={
        <Space wrap>
          <span>{c.name}</span>
          <Tag color="red">{c.year}</Tag>
        </Space>
      }
      extra={
        <Space>
          <Typography.Text type="secondary">{c.regionName}</Typography.Text>
          {canRate && <RateCampaign c={c} />}
        </Space>
      }
    >
      <Descriptions size="small" column={{ xs: 1, sm: 3 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('campaigns.region')}>{c.regionName}</Descriptions.Item>
        <Descriptions.Item label={t('campaigns.applyDeadline')}>
          <strong>{c.applyDeadline}</strong>
        </Descriptions.Item>
        <Descriptions.Item label={t('campaigns.reviewDeadline')}>{c.reviewDeadline}</Descriptions.Item>
      </Descriptions>
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
          { title: t('campaigns.quota'), dataIndex: 'quota', width: 100, align: 'right', render: (q: number | null) => q ?? t('campaigns.noQuota') },
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
        access.createCampaign(me.role) && (
          <Link to="/campaigns/new">
            <Button type="primary" data-testid="new-campaign">
              {t('campaigns.new')}
            </Button>
          </Link>
        )
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
          {data?.map((c) => <CampaignCard key={c.id} c={c} canRate={me.role === 'safety_office'} />)}
        </Space>
      )}
    </PageContainer>
  );
}
