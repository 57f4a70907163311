import { useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, TreeSelect } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DEPARTMENTS } from '@pingan/core';
import {
  createOrg,
  listAdminRegions,
  listOrgs,
  orgsXlsxUrl,
  updateOrg,
  type AdminOrg,
  type AdminRegion,
  type OrgInput,
} from '../../api/admin';
import { errorMessage } from '../../api/client';
import { useAsync } from '../../hooks/useAsync';
import { useI18n } from '../../locales';
import PageContainer from '../../components/PageContainer';
import ErrorBox from '../../components/ErrorBox';

const PAGE_SIZE = 20;
const DEPTS = DEPARTMENTS as Record<string, { zh: string; en: string }>;

interface TreeNode {
  value: number;
  title: string;
  children: TreeNode[];
}

/** The region list as a tree for the picker. */
function regionTree(regions: AdminRegion[]): TreeNode[] {
  const nodes = new Map(regions.map((r) => [r.id, { value: r.id, title: r.name, children: [] as TreeNode[] }]));
  const roots: TreeNode[] = [];
  for (const r of regions) {
    const n = nodes.get(r.id)!;
    const parent = r.parentId !== null ? nodes.get(r.parentId) : undefined;
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  return roots;
}

/** 机构管理: the system administrator's organisations (平安办 and departments of each region). */
export default function AdminOrgsPage() {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [filters, setFilters] = useState<{ q?: string; kind?: AdminOrg['kind'] }>({});
  const [page, setPage] = useState(1);
  const list = useAsync(() => listOrgs(filters, PAGE_SIZE, (page - 1) * PAGE_SIZE), [filters, page]);
  const regions = useAsync(listAdminRegions, []);
  const [editing, setEditing] = useState<AdminOrg | 'new' | null>(null);

  const deptName = (code: string) => (DEPTS[code] ? pick(DEPTS[code]) : code);
  const columns: ColumnsType<AdminOrg> = [
    { title: t('admin.orgs.name'), dataIndex: 'name' },
    {
      title: t('admin.orgs.kind'),
      key: 'kind',
      render: (_, o) => <Tag color={o.kind === 'safety_office' ? 'red' : 'blue'}>{t(`admin.orgs.kind.${o.kind}`)}</Tag>,
    },
    { title: t('admin.orgs.dept'), key: 'dept', render: (_, o) => `${deptName(o.deptCode)}（${o.deptCode}）` },
    { title: t('admin.orgs.region'), dataIndex: 'regionName' },
    { title: t('admin.orgs.users'), dataIndex: 'users', width: 90 },
    {
      title: t('common.actions'),
      key: 'ops',
      render: (_, o) => (
        <Button type="link" size="small" onClick={() => setEditing(o)} data-testid={`org-edit-${o.id}`}>
          {t('admin.orgs.edit')}
        </Button>
      ),
    },
  ];

  return (
    <PageContainer
      title={t('admin.orgs.title')}
      subTitle={t('admin.orgs.subtitle')}
      extra={
        <Space wrap>
          <Button type="primary" onClick={() => setEditing('new')} data-testid="org-new">
            {t('admin.orgs.new')}
          </Button>
          <Button href={orgsXlsxUrl(filters)} data-testid="org-export">
            {t('admin.orgs.export')}
          </Button>
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('admin.orgs.searchPlaceholder')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onSearch={(v) => {
            setFilters((f) => ({ ...f, q: v.trim() || undefined }));
            setPage(1);
          }}
          style={{ width: 260, maxWidth: '100%' }}
          data-testid="org-search"
        />
        <Select<AdminOrg['kind']>
          allowClear
          placeholder={t('admin.orgs.allKinds')}
          style={{ width: 160 }}
          value={filters.kind}
          onChange={(v) => {
            setFilters((f) => ({ ...f, kind: v }));
            setPage(1);
          }}
          options={[
            { value: 'safety_office', label: t('admin.orgs.kind.safety_office') },
            { value: 'department', label: t('admin.orgs.kind.department') },
          ]}
        />
      </Space>
      {(list.error || regions.error) && <ErrorBox error={(list.error ?? regions.error)!} onRetry={list.reload} />}
      <Card styles={{ body: { padding: 0 } }}>
        <Table<AdminOrg>
          rowKey="id"
          loading={list.loading}
          columns={columns}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 'max-content' }}
          onRow={(o) => ({ 'data-testid': `org-row-${o.id}` }) as HTMLAttributes<HTMLTableRowElement>}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: list.data?.total ?? 0,
            showSizeChanger: false,
            onChange: setPage,
            showTotal: (n) => t('common.total', { n }),
          }}
        />
      </Card>
      <OrgFormModal
        editing={editing}
        regions={regions.data ?? []}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          message.success(t('admin.orgs.saved'));
          list.reload();
        }}
      />
    </PageContainer>
  );
}

function OrgFormModal({
  editing,
  regions,
  onClose,
  onSaved,
}: {
  editing: AdminOrg | 'new' | null;
  regions: AdminRegion[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, pick } = useI18n();
  const [form] = Form.useForm<OrgInput>();
  const [saving, setSaving] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const tree = useMemo(() => regionTree(regions), [regions]);
  const org = editing && editing !== 'new' ? editing : null;

  useEffect(() => {
    if (!editing) return;
    setErr(null);
    form.resetFields();
    if (org) form.setFieldsValue({ name: org.name, kind: org.kind, regionId: org.regionId, deptCode: org.deptCode });
    else form.setFieldsValue({ kind: 'department' });
  }, [editing, org, form]);

  const save = async () => {
    const v = await form.validateFields();
    setSaving(true);
    setErr(null);
    try {
      const body = { ...v, name: v.name.trim() };
      if (org) await updateOrg(org.id, body);
      else await createOrg(body);
      onSaved();
    } catch (e) {
      setErr(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={!!editing}
      title={org ? t('admin.orgs.editTitle', { name: org.name }) : t('admin.orgs.newTitle')}
      onCancel={onClose}
      onOk={save}
      confirmLoading={saving}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ 'data-testid': 'org-save' } as never}
      forceRender
    >
      {err && <Alert type="error" showIcon title={err} style={{ marginBottom: 16 }} data-testid="org-form-error" />}
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item
          name="name"
          label={t('admin.orgs.name')}
          rules={[{ required: true, whitespace: true, message: t('admin.orgs.nameRequired') }, { max: 100 }]}
        >
          <Input data-testid="org-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('admin.orgs.kind')} rules={[{ required: true }]}>
          <Select
            options={[
              { value: 'safety_office', label: t('admin.orgs.kind.safety_office') },
              { value: 'department', label: t('admin.orgs.kind.department') },
            ]}
            onChange={(k) => {
              if (k === 'safety_office') form.setFieldValue('deptCode', 'safety_office');
            }}
            data-testid="org-kind"
          />
        </Form.Item>
        <Form.Item name="regionId" label={t('admin.orgs.region')} rules={[{ required: true, message: t('admin.orgs.regionRequired') }]}>
          <TreeSelect
            treeData={tree}
            showSearch={{ treeNodeFilterProp: 'title' }}
            treeDefaultExpandAll={false}
            placeholder={t('admin.orgs.chooseRegion')}
            data-testid="org-region"
          />
        </Form.Item>
        <Form.Item
          name="deptCode"
          label={t('admin.orgs.dept')}
          extra={t('admin.orgs.deptHelp')}
          rules={[{ required: true, message: t('admin.orgs.deptRequired') }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={Object.entries(DEPTS).map(([code, d]) => ({ value: code, label: `${pick(d)}（${code}）` }))}
            data-testid="org-dept"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
