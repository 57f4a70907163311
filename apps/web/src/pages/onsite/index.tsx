import { Badge, Card, Empty, List, Spin, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { listMyAssignments } from '../../api/experts';
import { useAsync } from '../../hooks/useAsync';
import { useT } from '../../locales';
import PageContainer from '../../components/PageContainer';
import ErrorBox from '../../components/ErrorBox';
import { fmtDate } from '../../utils/format';

/** 现场核查: the expert's open assignments, one card each (works on a phone). */
export default function OnsiteListPage() {
  const t = useT();
  const { data, error, loading, reload } = useAsync(listMyAssignments, []);
  return (
    <PageContainer title={t('onsite.title')} subTitle={t('onsite.subtitle')}>
      {error && <ErrorBox error={error} onRetry={reload} />}
      {loading && !data ? (
        <Spin style={{ display: 'block', margin: 48 }} />
      ) : data?.items.length ? (
        <List
          dataSource={data.items}
          renderItem={(a) => (
            <Link
              to={`/onsite/${a.applicationId}`}
              data-testid={`onsite-open-${a.applicationId}`}
              style={{ display: 'block', marginBottom: 12 }}
            >
              <Card size="small" hoverable>
                <Typography.Text strong>{a.subjectName}</Typography.Text>
                <div>
                  <Tag>{a.categoryName}</Tag>
                  <Tag color={a.checkStatus === 'draft' ? 'orange' : 'default'}>{t(`onsite.check.${a.checkStatus}`)}</Tag>
                  {a.openRectifications > 0 && <Badge count={a.openRectifications} title={t('onsite.openRect')} />}
                </div>
                <Typography.Text type="secondary" style={{ display: 'block' }}>
                  {a.regionName} {a.address ?? ''}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ display: 'block' }}>
                  {a.campaignName} ·{' '}
                  <span style={{ whiteSpace: 'nowrap' }}>
                    {t('onsite.due')} {fmtDate(a.dueOn)}
                  </span>
                </Typography.Text>
              </Card>
            </Link>
          )}
        />
      ) : (
        !error && <Empty description={t('onsite.empty')} />
      )}
    </PageContainer>
  );
}
