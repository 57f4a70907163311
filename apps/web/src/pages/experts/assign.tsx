import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Empty, InputNumber, List, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import type { Dayjs } from 'dayjs';
import { ApiError, errorMessage } from '../../api/client';
import {
  assignExperts,
  autoAssign,
  getAssignPage,
  withdrawAssignment,
  type AssignPage,
  type AutoResult,
  type Refusal,
} from '../../api/experts';
import { useAsync } from '../../hooks/useAsync';
import { useT } from '../../locales';
import PageContainer from '../../components/PageContainer';
import ErrorBox from '../../components/ErrorBox';

type Row = AssignPage['items'][number];

/** Assigning one application by hand: a select of the pool, conflicts marked, refusals shown. */
function AssignCell({ row, experts, onDone }: { row: Row; experts: AssignPage['experts']; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [picked, setPicked] = useState<number[]>([]);
  const [due, setDue] = useState<Dayjs | null>(null);
  const [busy, setBusy] = useState(false);
  const [refusals, setRefusals] = useState<Refusal[] | null>(null);
  const taken = new Set(row.assignments.map((a) => a.expertId));
  const submit = async () => {
    setBusy(true);
    setRefusals(null);
    try {
      await assignExperts(row.id, picked, due ? due.format('YYYY-MM-DD') : null);
      message.success(t('experts.assigned'));
      setPicked([]);
      onDone();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'EXPERT_CONFLICT') setRefusals((e.details as { refusals: Refusal[] }).refusals);
      else message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select<number[]>
          mode="multiple"
          style={{ minWidth: 260 }}
          value={picked}
          onChange={setPicked}
          placeholder={t('experts.pick')}
          optionLabelProp="name"
          options={experts
            .filter((e) => !taken.has(e.userId))
            .map((e) => {
              const c = row.conflicts[String(e.userId)];
              return {
                value: e.userId,
                name: e.displayName,
                label: (
                  <span>
                    {e.displayName} <Typography.Text type="secondary">{`${e.load}/${e.maxLoad}`}</Typography.Text>
                    {c && (
                      <Tag color="red" style={{ marginLeft: 6 }}>
                        {t('experts.mustAvoid')}
                      </Tag>
                    )}
                  </span>
                ),
              };
            })}
          data-testid="assign-expert-select"
        />
        <DatePicker value={due} onChange={setDue} placeholder={t('experts.dueOn')} data-testid="assign-due" />
        <Button type="primary" disabled={!picked.length} loading={busy} onClick={submit} data-testid="assign-submit">
          {t('experts.assign')}
        </Button>
      </Space>
      {refusals && (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setRefusals(null)}
          message={t('experts.refused')}
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {refusals.map((r) => (
                <li key={r.expertId}>
                  <b>{r.expertName}</b>：{r.reasons.join('；')}
                </li>
              ))}
            </ul>
          }
          data-testid="assign-refusal"
        />
      )}
    </Space>
  );
}

/** 专家指派: a campaign's applications at the onsite step; assign by hand or automatically. */
export default function ExpertAssignPage() {
  const t = useT();
  const { message } = App.useApp();
  const campaignId = Number(useParams().campaignId);
  const page = useAsync(() => getAssignPage(campaignId), [campaignId]);
  const [per, setPer] = useState(1);
  const [cap, setCap] = useState(5);
  const [category, setCategory] = useState<string | undefined>();
  const [auto, setAuto] = useState<AutoResult | null>(null);
  const [running, setRunning] = useState(false);
  const data = page.data;
  const categories = [...new Map((data?.items ?? []).map((i) => [i.categoryCode, i.categoryName])).entries()];

  const runAuto = async () => {
    setRunning(true);
    try {
      const r = await autoAssign(campaignId, { perApplication: per, cap, categoryCode: category });
      setAuto(r);
      message.success(t('experts.autoDone', { n: r.assigned.length }));
      page.reload();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setRunning(false);
    }
  };
  const withdraw = async (id: number) => {
    try {
      await withdrawAssignment(id);
      page.reload();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <PageContainer
      title={t('experts.assignTitle')}
      subTitle={data?.campaign.name}
      extra={<Link to="/experts">{t('experts.backToPool')}</Link>}
    >
      {page.error && <ErrorBox error={page.error} onRetry={page.reload} />}
      {data && !data.onsiteSteps.length && <Alert type="info" showIcon message={t('experts.noOnsiteStep')} style={{ marginBottom: 16 }} />}
      <Card size="small" title={t('experts.auto')} style={{ marginBottom: 16 }}>
        <Space wrap>
          <span>{t('experts.perApplication')}</span>
          <InputNumber min={1} max={10} value={per} onChange={(v) => setPer(v ?? 1)} data-testid="auto-per" />
          <span>{t('experts.cap')}</span>
          <InputNumber min={1} max={200} value={cap} onChange={(v) => setCap(v ?? 1)} data-testid="auto-cap" />
          <Select
            allowClear
            style={{ minWidth: 160 }}
            placeholder={t('experts.allCategories')}
            value={category}
            onChange={setCategory}
            options={categories.map(([code, name]) => ({ value: code, label: name }))}
          />
          <Button type="primary" loading={running} onClick={runAuto} disabled={!data?.onsiteSteps.length} data-testid="auto-submit">
            {t('experts.autoRun')}
          </Button>
        </Space>
        {auto && (
          <div style={{ marginTop: 12 }} data-testid="auto-result">
            <Typography.Paragraph>{t('experts.autoSummary', { n: auto.assigned.length, m: auto.uncovered.length })}</Typography.Paragraph>
            {!!auto.uncovered.length && (
              <List
                size="small"
                dataSource={auto.uncovered}
                renderItem={(u) => (
                  <List.Item>
                    {u.subjectName}：{u.reason}
                  </List.Item>
                )}
              />
            )}
          </div>
        )}
      </Card>
      <Table<Row>
        rowKey="id"
        loading={page.loading}
        dataSource={data?.items ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: <Empty description={t('experts.noneAtOnsite')} /> }}
        columns={[
          { title: t('experts.unit'), render: (_, r) => <Link to={`/applications/${r.id}`}>{r.subjectName}</Link> },
          { title: t('experts.region'), dataIndex: 'regionName' },
          { title: t('experts.category'), dataIndex: 'categoryName' },
          {
            title: t('experts.current'),
            render: (_, r) =>
              r.assignments.length ? (
                <Space wrap>
                  {r.assignments.map((a) =>
                    a.status === 'open' ? (
                      <Popconfirm key={a.id} title={t('experts.withdrawConfirm')} onConfirm={() => withdraw(a.id)}>
                        <Tag color="blue" closable onClose={(e) => e.preventDefault()} style={{ cursor: 'pointer' }}>
                          {a.expertName}
                        </Tag>
                      </Popconfirm>
                    ) : (
                      <Tag key={a.id} color="green">
                        {a.expertName} · {t('experts.done')}
                      </Tag>
                    ),
                  )}
                </Space>
              ) : (
                <Typography.Text type="secondary">{t('experts.unassigned')}</Typography.Text>
              ),
          },
          {
            title: t('experts.assign'),
            width: 420,
            render: (_, r) => <AssignCell row={r} experts={data?.experts ?? []} onDone={page.reload} />,
          },
        ]}
      />
    </PageContainer>
  );
}
