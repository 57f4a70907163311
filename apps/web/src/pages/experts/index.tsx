import { useState } from 'react';
import { App, Button, Form, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { listCampaigns } from '../../api/campaigns';
import { errorMessage } from '../../api/client';
import { getPool, listRegions, poolXlsxUrl, putProfile, searchSubjects, type PoolExpert, type ProfileInput } from '../../api/experts';
import { useAsync } from '../../hooks/useAsync';
import { useT } from '../../locales';
import PageContainer from '../../components/PageContainer';
import ErrorBox from '../../components/ErrorBox';
import { withMoreMatches } from '../../components/MoreMatches';

/** A subject picker that searches the office's subtree by name. */
function SubjectSelect({
  value,
  onChange,
  multiple,
  initial,
  testId,
}: {
  value?: number | number[] | null;
  onChange?: (v: number | number[] | null) => void;
  multiple?: boolean;
  initial: { id: number; name: string }[];
  testId: string;
}) {
  const t = useT();
  const [options, setOptions] = useState(initial.map((s) => ({ value: s.id, label: s.name })));
  const [found, setFound] = useState({ n: 0, more: false });
  const search = async (q: string) => {
    const r = await searchSubjects(q).catch(() => ({ items: [], more: false }));
    setFound({ n: r.items.length, more: r.more });
    setOptions((old) => {
      const merged = new Map(old.map((o) => [o.value, o]));
      for (const s of r.items) merged.set(s.id, { value: s.id, label: `${s.name}（${s.regionName}）` });
      return [...merged.values()];
    });
  };
  return (
    <Select
      mode={multiple ? 'multiple' : undefined}
      allowClear
      showSearch
      filterOption={false}
      onSearch={search}
      onFocus={() => search('')}
      value={value ?? (multiple ? [] : undefined)}
      onChange={(v) => onChange?.((v as number | number[] | undefined) ?? null)}
      options={options}
      popupRender={withMoreMatches(found.more, found.n)}
      placeholder={t('experts.searchSubject')}
      data-testid={testId}
    />
  );
}

/** 专家库: the office's pool with domains and what each expert must stand aside from (回避). */
export default function ExpertPoolPage() {
  const t = useT();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const pool = useAsync(getPool, []);
  const regions = useAsync(listRegions, []);
  const campaigns = useAsync(listCampaigns, []);
  const [editing, setEditing] = useState<PoolExpert | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<ProfileInput>();
  const catName = (code: string) => pool.data?.categories.find((c) => c.code === code)?.name ?? code;

  const open = (e: PoolExpert) => {
    setEditing(e);
    form.setFieldsValue({
      domains: e.domains,
      employerSubjectId: e.employerSubjectId,
      homeRegionId: e.homeRegionId,
      relatedSubjectIds: e.relatedSubjectIds,
      maxLoad: e.maxLoad,
    });
  };
  const save = async () => {
    if (!editing) return;
    const v = await form.validateFields();
    setSaving(true);
    try {
      await putProfile(editing.userId, {
        domains: v.domains ?? [],
        employerSubjectId: v.employerSubjectId ?? null,
        homeRegionId: v.homeRegionId ?? null,
        relatedSubjectIds: v.relatedSubjectIds ?? [],
        maxLoad: v.maxLoad ?? 10,
      });
      message.success(t('experts.saved'));
      setEditing(null);
      pool.reload();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <PageContainer
      title={t('experts.title')}
      subTitle={t('experts.subtitle')}
      extra={
        <Space>
          <Button href={poolXlsxUrl()} data-testid="experts-export">
            {t('common.exportXlsx')}
          </Button>
          <Select<number>
            style={{ minWidth: 260 }}
            placeholder={t('experts.assignFor')}
            loading={campaigns.loading}
            onChange={(id) => navigate(`/experts/assign/${id}`)}
            options={(campaigns.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
            data-testid="experts-campaign"
          />
        </Space>
      }
    >
      {pool.error && <ErrorBox error={pool.error} onRetry={pool.reload} />}
      <Table<PoolExpert>
        rowKey="userId"
        loading={pool.loading}
        dataSource={pool.data?.items ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        columns={[
          {
            title: t('experts.name'),
            render: (_, e) => (
              <Space direction="vertical" size={0}>
                <span>{e.displayName}</span>
                <Typography.Text type="secondary">{e.orgName}</Typography.Text>
              </Space>
            ),
          },
          {
            title: t('experts.inPool'),
            render: (_, e) => (e.hasProfile ? <Tag color="green">{t('experts.inPool.yes')}</Tag> : <Tag>{t('experts.inPool.no')}</Tag>),
          },
          {
            title: t('experts.domains'),
            render: (_, e) =>
              e.domains.length ? (
                e.domains.map((d) => <Tag key={d}>{catName(d)}</Tag>)
              ) : (
                <Typography.Text type="secondary">{t('experts.allDomains')}</Typography.Text>
              ),
          },
          {
            title: t('experts.avoid'),
            render: (_, e) => (
              <Space direction="vertical" size={0}>
                {e.employerName && (
                  <span>
                    {t('experts.employer')}：{e.employerName}
                  </span>
                )}
                {e.homeRegionName && (
                  <span>
                    {t('experts.homeRegion')}：{e.homeRegionName}
                  </span>
                )}
                {!!e.relatedNames?.length && (
                  <span>
                    {t('experts.related')}：{e.relatedNames.join('、')}
                  </span>
                )}
                {!e.employerName && !e.homeRegionName && !e.relatedNames?.length && <Typography.Text type="secondary">—</Typography.Text>}
              </Space>
            ),
          },
          { title: t('experts.load'), render: (_, e) => `${e.load} / ${e.maxLoad}` },
          {
            title: '',
            render: (_, e) => (
              <Button size="small" onClick={() => open(e)} data-testid={`expert-edit-${e.userId}`}>
                {t('experts.edit')}
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={!!editing}
        title={editing ? t('experts.editTitle', { name: editing.displayName }) : ''}
        onCancel={() => setEditing(null)}
        onOk={save}
        confirmLoading={saving}
        okButtonProps={{ 'data-testid': 'expert-save' } as never}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item name="domains" label={t('experts.domains')} extra={t('experts.domainsHelp')}>
            <Select
              mode="multiple"
              allowClear
              options={(pool.data?.categories ?? []).map((c) => ({ value: c.code, label: c.name }))}
              data-testid="expert-domains"
            />
          </Form.Item>
          <Form.Item name="employerSubjectId" label={t('experts.employer')}>
            <SubjectSelect
              initial={
                editing?.employerSubjectId
                  ? [{ id: editing.employerSubjectId, name: editing.employerName ?? `#${editing.employerSubjectId}` }]
                  : []
              }
              testId="expert-employer"
            />
          </Form.Item>
          <Form.Item name="homeRegionId" label={t('experts.homeRegion')} extra={t('experts.homeRegionHelp')}>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              options={(regions.data ?? [])
                .filter((r) => r.level === 'town' || r.level === 'village')
                .map((r) => ({ value: r.id, label: r.name }))}
              data-testid="expert-home"
            />
          </Form.Item>
          <Form.Item name="relatedSubjectIds" label={t('experts.related')} extra={t('experts.relatedHelp')}>
            <SubjectSelect
              multiple
              initial={(editing?.relatedSubjectIds ?? []).map((id, i) => ({ id, name: editing?.relatedNames?.[i] ?? `#${id}` }))}
              testId="expert-related"
            />
          </Form.Item>
          <Form.Item name="maxLoad" label={t('experts.maxLoad')} rules={[{ required: true }]}>
            <InputNumber min={0} max={200} />
          </Form.Item>
        </Form>
      </Modal>
    </PageContainer>
  );
}
