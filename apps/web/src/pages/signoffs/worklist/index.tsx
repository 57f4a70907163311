import { useState } from 'react';
import { Button, Empty, Pagination, Segmented, Select, Space, Spin } from 'antd';
import { listCampaigns } from '../../../api/campaigns';
import { getWorklist, worklistXlsxUrl, type WorklistStatus } from '../../../api/signoffs';
import { useAsync } from '../../../hooks/useAsync';
import { useT } from '../../../locales';
import PageContainer from '../../../components/PageContainer';
import ErrorBox from '../../../components/ErrorBox';
import SignoffCard from './SignoffCard';

const PAGE = 10;

/** 会签待办: a department's items across applications, one card per application. */
export default function SignoffWorklistPage() {
  const t = useT();
  const [status, setStatus] = useState<WorklistStatus>('pending');
  const [campaignId, setCampaignId] = useState<number | undefined>();
  const [page, setPage] = useState(1);
  const campaigns = useAsync(listCampaigns, []);
  const { data, error, loading, reload } = useAsync(
    () => getWorklist({ status, campaignId, limit: PAGE, offset: (page - 1) * PAGE }),
    [status, campaignId, page],
  );

  return (
    <PageContainer
      title={t('signoffs.title')}
      subTitle={t('signoffs.subtitle')}
      extra={
        <Space wrap>
          <Segmented<WorklistStatus>
            value={status}
            onChange={(v) => {
              setStatus(v);
              setPage(1);
            }}
            options={(['pending', 'signed', 'all'] as const).map((s) => ({
              value: s,
              label: <span data-testid={`signoff-filter-${s}`}>{t(`signoffs.filter.${s}`)}</span>,
            }))}
          />
          <Select<number | undefined>
            allowClear
            style={{ width: 240 }}
            placeholder={t('signoffs.allCampaigns')}
            value={campaignId}
            loading={campaigns.loading}
            onChange={(v) => {
              setCampaignId(v);
              setPage(1);
            }}
            options={(campaigns.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
            data-testid="signoff-campaign"
          />
          <Button href={worklistXlsxUrl({ status, campaignId })} data-testid="signoff-export">
            {t('signoffs.export')}
          </Button>
        </Space>
      }
    >
      {error && <ErrorBox error={error} onRetry={reload} />}
      <Spin spinning={loading && !!data}>
        {loading && !data ? (
          <Spin style={{ display: 'block', margin: 48 }} />
        ) : data && data.items.length ? (
          <>
            {data.items.map((item) => (
              <SignoffCard key={`${item.id}:${item.status}`} item={item} onChanged={reload} />
            ))}
            <Pagination
              current={page}
              pageSize={PAGE}
              total={data.total}
              onChange={setPage}
              showSizeChanger={false}
              style={{ textAlign: 'right' }}
              data-testid="signoff-pagination"
            />
          </>
        ) : (
          !error && <Empty description={t('signoffs.empty')} data-testid="signoff-empty" />
        )}
      </Spin>
    </PageContainer>
  );
}
