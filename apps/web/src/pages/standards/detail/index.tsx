import { Link, useParams } from 'react-router-dom';
import { Button, Card, Space, Tag } from 'antd';
import { getStandardVersion } from '../../../api/standards';
import { useAsync } from '../../../hooks/useAsync';
import { useMe } from '../../../auth/AuthContext';
import { useT } from '../../../locales';
import PageContainer from '../../../components/PageContainer';
import ErrorBox from '../../../components/ErrorBox';
import Exception from '../../../components/Exception';
import { useStandard } from '../useStandard';
import VersionTable from './VersionTable';
import ComparePanel from './ComparePanel';

/** One standard: its version history, downloads, and the difference between two versions. */
export default function StandardDetailPage() {
  const t = useT();
  const me = useMe();
  const id = Number(useParams().id);
  const { data: standard, error, loading, reload } = useStandard(id);
  const canEdit = me.role === 'safety_office';
  // GET /api/standards does not carry version notes: read them from each version
  const versionIds = standard?.versions.map((v) => v.id).join(',') ?? '';
  const notes = useAsync(
    async () => new Map((await Promise.all((standard?.versions ?? []).map((v) => getStandardVersion(v.id)))).map((v) => [v.id, v.note])),
    [versionIds],
  );
  const latest = standard?.versions.at(-1);

  if (!loading && !error && standard === null) return <Exception kind="404" />;
  return (
    <PageContainer
      title={standard?.title ?? t('standards.title')}
      tags={standard && <Tag color="red">{standard.categoryName}</Tag>}
      extra={
        <Space>
          <Link to="/standards">← {t('standardView.back')}</Link>
          {canEdit && latest && (
            <Link to={`/standards/${id}/new-version?from=${latest.id}`}>
              <Button type="primary" data-testid="new-version">
                {t('standardDetail.newVersion')}
              </Button>
            </Link>
          )}
        </Space>
      }
    >
      {error && <ErrorBox error={error} onRetry={reload} />}
      {loading && !standard && <Card loading />}
      {standard && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card title={t('standardDetail.history')} styles={{ body: { padding: 0 } }} extra={<code>{standard.code}</code>}>
            <VersionTable standard={standard} notes={notes.data} canEdit={canEdit} />
          </Card>
          <Card title={t('standardDetail.compare')}>
            <ComparePanel standard={standard} />
          </Card>
        </Space>
      )}
    </PageContainer>
  );
}
