import { useEffect, useState, type HTMLAttributes } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Tooltip, Typography, Upload } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ROLES, ROLE_LABELS, type Role } from '@pingan/core';
import { ROLE_ATTACHMENT, ROLE_ORG_KIND } from '@pingan/contract';
import {
  createUser,
  importProblems,
  importTemplateUrl,
  importUsers,
  listOrgs,
  listUsers,
  resetPassword,
  resetTotp,
  searchAdminSubjects,
  updateUser,
  usersXlsxUrl,
  type AdminUser,
  type ImportReport,
  type UserFilters,
} from '../../api/admin';
import { errorMessage } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { useAsync } from '../../hooks/useAsync';
import { useI18n } from '../../locales';
import { fmtTime } from '../../utils/format';
import PageContainer from '../../components/PageContainer';
import ErrorBox from '../../components/ErrorBox';
import { ImportResultModal, OneTimePasswordModal } from './OneTimePassword';

const PAGE_SIZE = 20;

interface UserFormValues {
  username: string;
  displayName: string;
  role: Role;
  orgId?: number | null;
  subjectId?: number | null;
  email?: string;
  phone?: string;
}

type Shown = { username: string; displayName: string; password: string; reset: boolean };

const isLocked = (u: AdminUser) => !!u.lockedUntil && new Date(u.lockedUntil).getTime() > Date.now();

/** 账号管理: the system administrator's accounts — search, create, edit, disable, reset, import and export. */
export default function AdminUsersPage() {
  const { t, pick } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const [filters, setFilters] = useState<UserFilters>({});
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const list = useAsync(() => listUsers(filters, PAGE_SIZE, (page - 1) * PAGE_SIZE), [filters, page]);
  const [editing, setEditing] = useState<AdminUser | 'new' | null>(null);
  const [shown, setShown] = useState<Shown | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [problems, setProblems] = useState<{ row: number; reasons: string[] }[] | null>(null);
  const [importing, setImporting] = useState(false);

  const setFilter = (patch: Partial<UserFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(1);
  };

  const act = async (run: () => Promise<unknown>, done: string) => {
    try {
      await run();
      message.success(done);
      list.reload();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const onReset = async (u: AdminUser) => {
    try {
      const r = await resetPassword(u.id);
      setShown({ username: u.username, displayName: u.displayName, password: r.oneTimePassword, reset: true });
      list.reload();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const onImport = async (file: File) => {
    setImporting(true);
    setProblems(null);
    try {
      const r = await importUsers(file);
      setReport(r);
      list.reload();
    } catch (e) {
      const rows = importProblems(e);
      if (rows) setProblems(rows);
      else message.error(errorMessage(e));
    } finally {
      setImporting(false);
    }
  };

  const attachment = (u: AdminUser) => u.org?.name ?? (u.subject ? `${u.subject.name}（${u.subject.regionName}）` : null);

  const columns: ColumnsType<AdminUser> = [
    { title: t('admin.users.username'), dataIndex: 'username', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
    { title: t('admin.users.displayName'), dataIndex: 'displayName' },
    {
      title: t('admin.users.role'),
      key: 'role',
      render: (_, u) => <Tag color={ROLE_ATTACHMENT[u.role] === 'none' ? 'gold' : undefined}>{pick(ROLE_LABELS[u.role])}</Tag>,
    },
    {
      title: t('admin.users.attachedTo'),
      key: 'org',
      render: (_, u) => {
        const a = attachment(u);
        return a ? (
          <Space orientation="vertical" size={0}>
            <span>{a}</span>
            {u.org && <Typography.Text type="secondary">{u.org.regionName}</Typography.Text>}
          </Space>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        );
      },
    },
    {
      title: t('admin.users.status'),
      key: 'status',
      render: (_, u) => (
        <Space size={[4, 4]} wrap>
          {u.disabled ? <Tag color="red">{t('admin.users.disabled')}</Tag> : <Tag color="green">{t('admin.users.enabled')}</Tag>}
          {isLocked(u) && (
            <Tooltip title={t('admin.users.lockedUntil', { at: fmtTime(u.lockedUntil) })}>
              <Tag color="orange">{t('admin.users.locked')}</Tag>
            </Tooltip>
          )}
          {u.mustChangePassword && <Tag color="blue">{t('admin.users.mustChange')}</Tag>}
          {u.totpEnabled && <Tag color="purple">{t('admin.users.totp')}</Tag>}
        </Space>
      ),
    },
    { title: t('admin.users.lastLogin'), key: 'last', render: (_, u) => fmtTime(u.lastLoginAt) },
    {
      title: t('common.actions'),
      key: 'ops',
      fixed: 'right',
      render: (_, u) => {
        const self = u.id === me.id;
        return (
          <Space size={0} wrap>
            <Button type="link" size="small" onClick={() => setEditing(u)} data-testid={`user-edit-${u.username}`}>
              {t('admin.users.edit')}
            </Button>
            <Popconfirm
              title={t('admin.users.resetConfirm', { name: u.displayName })}
              description={t('admin.users.resetConfirmBody')}
              onConfirm={() => onReset(u)}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
            >
              <Button type="link" size="small" data-testid={`user-reset-${u.username}`}>
                {t('admin.users.resetPassword')}
              </Button>
            </Popconfirm>
            {!self &&
              (u.disabled ? (
                <Button
                  type="link"
                  size="small"
                  onClick={() => act(() => updateUser(u.id, { disabled: false }), t('admin.users.enabledDone'))}
                  data-testid={`user-enable-${u.username}`}
                >
                  {t('admin.users.enable')}
                </Button>
              ) : (
                <Popconfirm
                  title={t('admin.users.disableConfirm', { name: u.displayName })}
                  description={t('admin.users.disableConfirmBody')}
                  onConfirm={() => act(() => updateUser(u.id, { disabled: true }), t('admin.users.disabledDone'))}
                  okText={t('common.ok')}
                  cancelText={t('common.cancel')}
                >
                  <Button type="link" size="small" danger data-testid={`user-disable-${u.username}`}>
                    {t('admin.users.disable')}
                  </Button>
                </Popconfirm>
              ))}
            {isLocked(u) && (
              <Button
                type="link"
                size="small"
                onClick={() => act(() => updateUser(u.id, { unlock: true }), t('admin.users.unlockedDone'))}
                data-testid={`user-unlock-${u.username}`}
              >
                {t('admin.users.unlock')}
              </Button>
            )}
            {u.totpEnabled && (
              <Popconfirm
                title={t('admin.users.resetTotpConfirm', { name: u.displayName })}
                onConfirm={() => act(() => resetTotp(u.id), t('admin.users.resetTotpDone'))}
                okText={t('common.ok')}
                cancelText={t('common.cancel')}
              >
                <Button type="link" size="small" data-testid={`user-reset-totp-${u.username}`}>
                  {t('admin.users.resetTotp')}
                </Button>
              </Popconfirm>
            )}
          </Space>
        );
      },
    },
  ];

  return (
    <PageContainer
      title={t('admin.users.title')}
      subTitle={t('admin.users.subtitle')}
      extra={
        <Space wrap>
          <Button type="primary" onClick={() => setEditing('new')} data-testid="user-new">
            {t('admin.users.new')}
          </Button>
          <Button href={importTemplateUrl()} data-testid="user-template">
            {t('admin.users.template')}
          </Button>
          <Upload
            accept=".xlsx"
            showUploadList={false}
            beforeUpload={(file) => {
              void onImport(file);
              return false;
            }}
          >
            <Button loading={importing} data-testid="user-import">
              {t('admin.users.import')}
            </Button>
          </Upload>
          <Button href={usersXlsxUrl(filters)} data-testid="user-export">
            {t('admin.users.export')}
          </Button>
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('admin.users.searchPlaceholder')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onSearch={(v) => setFilter({ q: v.trim() || undefined })}
          style={{ width: 260, maxWidth: '100%' }}
          data-testid="user-search"
        />
        <Select<Role>
          allowClear
          placeholder={t('admin.users.allRoles')}
          style={{ width: 180 }}
          value={filters.role}
          onChange={(v) => setFilter({ role: v })}
          options={ROLES.map((r) => ({ value: r, label: pick(ROLE_LABELS[r]) }))}
          data-testid="user-role-filter"
        />
        <Select<string>
          allowClear
          placeholder={t('admin.users.allStates')}
          style={{ width: 140 }}
          value={filters.disabled === undefined ? undefined : filters.disabled ? 'disabled' : 'enabled'}
          onChange={(v) => setFilter({ disabled: v === undefined ? undefined : v === 'disabled' })}
          options={[
            { value: 'enabled', label: t('admin.users.enabled') },
            { value: 'disabled', label: t('admin.users.disabled') },
          ]}
          data-testid="user-state-filter"
        />
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
        {t('admin.users.importHint')}
      </Typography.Paragraph>
      {problems && (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setProblems(null)}
          style={{ marginBottom: 16 }}
          title={t('admin.import.refused', { n: problems.length })}
          description={
            <ul className="import-problems" data-testid="import-problems">
              {problems.map((p) => (
                <li key={p.row}>
                  {t('admin.import.rowN', { n: p.row })}
                  {p.reasons.join('；')}
                </li>
              ))}
            </ul>
          }
        />
      )}
      {list.error && <ErrorBox error={list.error} onRetry={list.reload} />}
      <Card styles={{ body: { padding: 0 } }}>
        <Table<AdminUser>
          rowKey="id"
          loading={list.loading}
          columns={columns}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 'max-content' }}
          onRow={(u) => ({ 'data-testid': `user-row-${u.username}` }) as HTMLAttributes<HTMLTableRowElement>}
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
      <UserFormModal
        editing={editing}
        onClose={() => setEditing(null)}
        onSaved={(created) => {
          setEditing(null);
          list.reload();
          if (created)
            setShown({
              username: created.user.username,
              displayName: created.user.displayName,
              password: created.oneTimePassword,
              reset: false,
            });
          else message.success(t('admin.users.saved'));
        }}
      />
      <OneTimePasswordModal shown={shown} onClose={() => setShown(null)} />
      <ImportResultModal report={report} onClose={() => setReport(null)} />
    </PageContainer>
  );
}

/** An organisation picker that searches by name, limited to the kind the role needs. */
function OrgSelect({
  value,
  onChange,
  kind,
  initial,
}: {
  value?: number | null;
  onChange?: (v: number | null) => void;
  kind?: 'safety_office' | 'department';
  initial: { id: number; name: string } | null;
}) {
  const { t } = useI18n();
  const [options, setOptions] = useState<{ value: number; label: string }[]>(initial ? [{ value: initial.id, label: initial.name }] : []);
  const search = async (q: string) => {
    const r = await listOrgs({ q, kind }, 50, 0).catch(() => ({ items: [] }));
    setOptions(r.items.map((o) => ({ value: o.id, label: `${o.name}（${o.regionName}）` })));
  };
  useEffect(() => {
    void search('');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kind]);
  return (
    <Select<number>
      allowClear
      showSearch={{ filterOption: false, onSearch: search }}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      options={options}
      placeholder={t('admin.users.chooseOrg')}
      data-testid="user-org"
    />
  );
}

/** A subject (申报主体) picker for an applicant account. */
function SubjectSelect({
  value,
  onChange,
  initial,
}: {
  value?: number | null;
  onChange?: (v: number | null) => void;
  initial: { id: number; name: string } | null;
}) {
  const { t } = useI18n();
  const [options, setOptions] = useState<{ value: number; label: string }[]>(initial ? [{ value: initial.id, label: initial.name }] : []);
  const search = async (q: string) => {
    const r = await searchAdminSubjects(q).catch(() => ({ items: [] }));
    setOptions(r.items.map((s) => ({ value: s.id, label: `${s.name}（${s.regionName}）` })));
  };
  useEffect(() => {
    void search('');
  }, []);
  return (
    <Select<number>
      allowClear
      showSearch={{ filterOption: false, onSearch: search }}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      options={options}
      placeholder={t('admin.users.chooseSubject')}
      data-testid="user-subject"
    />
  );
}

function UserFormModal({
  editing,
  onClose,
  onSaved,
}: {
  editing: AdminUser | 'new' | null;
  onClose: () => void;
  onSaved: (created: { user: AdminUser; oneTimePassword: string } | null) => void;
}) {
  const { t, pick } = useI18n();
  const [form] = Form.useForm<UserFormValues>();
  const [saving, setSaving] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const role = Form.useWatch('role', form);
  const isNew = editing === 'new';
  const user = editing && editing !== 'new' ? editing : null;

  useEffect(() => {
    if (!editing) return;
    setErr(null);
    form.resetFields();
    if (user)
      form.setFieldsValue({
        username: user.username,
        displayName: user.displayName,
        role: user.role,
        orgId: user.org?.id ?? null,
        subjectId: user.subject?.id ?? null,
        email: user.email ?? '',
        phone: user.phone ?? '',
      });
  }, [editing, user, form]);

  const attach = role ? ROLE_ATTACHMENT[role] : 'none';

  const save = async () => {
    const v = await form.validateFields();
    setSaving(true);
    setErr(null);
    const common = {
      displayName: v.displayName.trim(),
      role: v.role,
      orgId: attach === 'org' ? (v.orgId ?? null) : null,
      subjectId: attach === 'subject' ? (v.subjectId ?? null) : null,
      email: v.email?.trim() || null,
      phone: v.phone?.trim() || null,
    };
    try {
      if (isNew) onSaved(await createUser({ username: v.username.trim(), ...common }));
      else if (user) {
        await updateUser(user.id, common);
        onSaved(null);
      }
    } catch (e) {
      setErr(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={!!editing}
      title={isNew ? t('admin.users.newTitle') : t('admin.users.editTitle', { name: user?.username ?? '' })}
      onCancel={onClose}
      onOk={save}
      confirmLoading={saving}
      okText={isNew ? t('admin.users.create') : t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ 'data-testid': 'user-save' } as never}
      forceRender
    >
      {err && <Alert type="error" showIcon title={err} style={{ marginBottom: 16 }} data-testid="user-form-error" />}
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item
          name="username"
          label={t('admin.users.username')}
          extra={isNew ? t('admin.users.usernameHelp') : undefined}
          rules={[
            { required: true, whitespace: true, message: t('admin.users.usernameRequired') },
            { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{2,63}$/, message: t('admin.users.usernamePattern') },
          ]}
        >
          <Input disabled={!isNew} autoComplete="off" data-testid="user-username" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('admin.users.displayName')}
          rules={[{ required: true, whitespace: true, message: t('admin.users.displayNameRequired') }, { max: 64 }]}
        >
          <Input data-testid="user-display-name" />
        </Form.Item>
        <Form.Item name="role" label={t('admin.users.role')} rules={[{ required: true, message: t('admin.users.roleRequired') }]}>
          <Select<Role> options={ROLES.map((r) => ({ value: r, label: pick(ROLE_LABELS[r]) }))} data-testid="user-role" />
        </Form.Item>
        {role && ROLE_ATTACHMENT[role] === 'org' && (
          <Form.Item name="orgId" label={t('admin.users.org')} rules={[{ required: true, message: t('admin.users.orgRequired') }]}>
            <OrgSelect kind={ROLE_ORG_KIND[role]} initial={user?.org ? { id: user.org.id, name: user.org.name } : null} />
          </Form.Item>
        )}
        {role && ROLE_ATTACHMENT[role] === 'subject' && (
          <Form.Item
            name="subjectId"
            label={t('admin.users.subject')}
            rules={[{ required: true, message: t('admin.users.subjectRequired') }]}
          >
            <SubjectSelect initial={user?.subject ? { id: user.subject.id, name: user.subject.name } : null} />
          </Form.Item>
        )}
        {role && ROLE_ATTACHMENT[role] === 'none' && (
          <Alert type="info" showIcon title={t('admin.users.adminRoleHint')} style={{ marginBottom: 16 }} />
        )}
        <Form.Item name="email" label={t('admin.users.email')} rules={[{ type: 'email', message: t('admin.users.emailInvalid') }]}>
          <Input autoComplete="off" data-testid="user-email" />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('admin.users.phone')}
          rules={[{ pattern: /^[0-9+\-\s]{5,20}$/, message: t('admin.users.phoneInvalid') }]}
        >
          <Input autoComplete="off" data-testid="user-phone" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
