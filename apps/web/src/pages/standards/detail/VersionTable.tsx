import { Link } from 'react-router-dom';
import { Button, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { standardExportUrl } from '../../../api/standards';
import type { StandardExportFormat, StandardSummary, StandardVersionSummary } from '../../../api/types';
import { useT } from '../../../locales';
import { fmtTime } from '../../../utils/format';

const FORMATS: { format: StandardExportFormat; label: string }[] = [
  { format: 'json', label: 'JSON' },
  { format: 'yaml', label: 'YAML' },
  { format: 'xlsx', label: 'Excel' },
];

/** 版本历史: every version, newest first, with its note, size, a link to read it and downloads. */
export default function VersionTable({
  standard,
  notes,
  canEdit,
}: {
  standard: StandardSummary;
  /** version id → note (the list endpoint does not carry notes) */
  notes: Map<number, string | null> | undefined;
  canEdit: boolean;
}) {
  const t = useT();
  const latest = standard.versions.at(-1)?.id;
  const columns: ColumnsType<StandardVersionSummary> = [
    {
      title: t('standardDetail.version'),
      dataIndex: 'version',
      width: 120,
      render: (n: number, v) => (
        <Space size={4}>
          <Link to={`/standards/versions/${v.id}`} data-testid={`version-link-${v.id}`}>
            {t('standardView.version', { n })}
          </Link>
          {v.id === latest && <Tag color="red">{t('standardDetail.latest')}</Tag>}
        </Space>
      ),
    },
    { title: t('standardDetail.date'), dataIndex: 'createdAt', width: 150, render: (d: string) => fmtTime(d) },
    { title: t('standardDetail.note'), key: 'note', render: (_: unknown, v) => notes?.get(v.id) ?? <span className="muted">{notes ? t('common.none') : t('common.loading')}</span> },
    { title: t('standardDetail.criteria'), dataIndex: 'criteria', width: 80, align: 'right' },
    { title: t('standardDetail.maxPoints'), dataIndex: 'maxPoints', width: 80, align: 'right' },
    {
      title: t('standardDetail.download'),
      key: 'download',
      width: 210,
      render: (_: unknown, v) => (
        <Space size={4}>
          {FORMATS.map((f) => (
            <Button key={f.format} size="small" href={standardExportUrl(v.id, f.format)} data-testid={`download-${v.id}-${f.format}`}>
              {f.label}
            </Button>
          ))}
        </Space>
      ),
    },
  ];
  if (canEdit)
    columns.push({
      title: t('common.actions'),
      key: 'revise',
      width: 130,
      render: (_: unknown, v) => <Link to={`/standards/${standard.id}/new-version?from=${v.id}`}>{t('standardDetail.reviseFrom')}</Link>,
    });
  return (
    <div data-testid="standard-versions">
      <Table<StandardVersionSummary>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={[...standard.versions].reverse()}
        pagination={false}
        scroll={{ x: 900 }}
      />
    </div>
  );
}
