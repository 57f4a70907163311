import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, DatePicker, Form, Input, Select, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { earliestNoticeEnd, noticeDateProblems } from '@pingan/core';
import { listCampaigns } from '../../../api/campaigns';
import { noticeCandidates, publishNotice, type NoticeCandidate } from '../../../api/notices';
import { errorMessage } from '../../../api/client';
import { shanghaiToday } from '../dates';
import { useAsync } from '../../../hooks/useAsync';
import { useT } from '../../../locales';
import { fmtScore } from '../../../utils/format';
import PageContainer from '../../../components/PageContainer';
import Stars from '../../../components/Stars';

interface Values {
  campaignId?: number;
  title: string;
  period: [Dayjs, Dayjs];
  body?: string;
}

/** 发布公示: a campaign's evaluated applications, chosen, with a title and the notice period. */
export default function NoticeFormPage() {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const campaignId = Form.useWatch('campaignId', form);
  const [selected, setSelected] = useState<number[]>([]);
  const [selectError, setSelectError] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const period = Form.useWatch('period', form);
  const campaigns = useAsync(listCampaigns, []);
  // only campaigns this office runs and that still run
  const owned = useMemo(() => (campaigns.data ?? []).filter((c) => c.owned && c.status === 'active'), [campaigns.data]);
  const minDays = owned.find((c) => c.id === campaignId)?.minNoticeDays ?? 5;
  const [q, setQ] = useState('');
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const apps = useAsync(
    () =>
      campaignId
        ? noticeCandidates({ campaignId, q: q || undefined, limit: page.pageSize, offset: (page.current - 1) * page.pageSize })
        : Promise.resolve({ items: [] as NoticeCandidate[], total: 0, minNoticeDays: 5 }),
    [campaignId, q, page.current, page.pageSize],
  );
  const today = shanghaiToday();
  // the server's own rule, live: from today or later, at least the minimum of working days
  const start = period?.[0]?.format('YYYY-MM-DD');
  const end = period?.[1]?.format('YYYY-MM-DD');
  const dateProblems = start && end ? noticeDateProblems(start, end, today, minDays) : [];
  const earliest = earliestNoticeEnd(start && start >= today ? start : today, minDays);

  const onFinish = async (v: Values) => {
    if (dateProblems.length) return;
    if (!selected.length) {
      setSelectError(true);
      return;
    }
    setBusy(true);
    setServerError(null);
    try {
      await publishNotice({
        campaignId: v.campaignId!,
        title: v.title.trim(),
        body: v.body?.trim() || null,
        startsOn: v.period[0].format('YYYY-MM-DD'),
        endsOn: v.period[1].format('YYYY-MM-DD'),
        applicationIds: selected,
      });
      message.success(t('noticeForm.published'));
      navigate('/notices');
    } catch (e) {
      const msg = errorMessage(e);
      setServerError(msg);
      message.error(msg);
    } finally {
      setBusy(false);
    }
  };

  const initialCampaign = Number(params.get('campaignId')) || undefined;
  return (
    <PageContainer title={t('noticeForm.title')}>
      {serverError && (
        <Alert
          type="error"
          showIcon
          title={serverError}
          style={{ marginBottom: 16 }}
          data-testid="form-error"
          closable={{ onClose: () => setServerError(null) }}
        />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        onFinishFailed={() => setSelectError(!selected.length)}
        initialValues={{ campaignId: initialCampaign, period: [dayjs(today), dayjs(earliestNoticeEnd(today, 5))] }}
      >
        <Card style={{ marginBottom: 16 }}>
          <Form.Item
            name="campaignId"
            label={t('noticeForm.campaign')}
            rules={[{ required: true, message: t('noticeForm.campaignRequired') }]}
          >
            <Select
              loading={campaigns.loading}
              options={owned.map((c) => ({ value: c.id, label: c.name }))}
              onChange={(id: number) => {
                setSelected([]);
                setPage((p) => ({ ...p, current: 1 }));
                const c = owned.find((x) => x.id === id);
                const s = form.getFieldValue('period') as [Dayjs, Dayjs] | undefined;
                const from = s?.[0] && s[0].format('YYYY-MM-DD') >= today ? s[0].format('YYYY-MM-DD') : today;
                if (c) form.setFieldValue('period', [dayjs(from), dayjs(earliestNoticeEnd(from, c.minNoticeDays))]);
              }}
              data-testid="notice-campaign"
              style={{ maxWidth: 480 }}
            />
          </Form.Item>
          <Form.Item
            name="title"
            label={t('noticeForm.noticeTitle')}
            rules={[
              { required: true, whitespace: true, message: t('noticeForm.titleRequired') },
              { min: 4, message: t('noticeForm.titleMin') },
            ]}
          >
            <Input placeholder={t('noticeForm.titlePlaceholder')} maxLength={200} data-testid="notice-title" />
          </Form.Item>
          <Form.Item
            name="period"
            label={t('noticeForm.period')}
            rules={[{ required: true, message: t('noticeForm.periodRequired') }]}
            validateStatus={dateProblems.length ? 'error' : undefined}
            help={
              dateProblems.length ? (
                <span data-testid="notice-date-problems">{dateProblems.join('；')}</span>
              ) : (
                <span data-testid="notice-earliest-end">
                  {t('noticeForm.earliestEnd', { n: minDays, start: start && start >= today ? start : today, date: earliest })}
                </span>
              )
            }
          >
            <DatePicker.RangePicker data-testid="notice-period" disabledDate={(d) => d.format('YYYY-MM-DD') < today} />
          </Form.Item>
          <Form.Item name="body" label={t('noticeForm.body')}>
            <Input.TextArea
              placeholder={t('noticeForm.bodyPlaceholder')}
              autoSize={{ minRows: 3, maxRows: 8 }}
              maxLength={5000}
              showCount
              data-testid="notice-body"
            />
          </Form.Item>
        </Card>
        <Card
          title={t('noticeForm.applications')}
          extra={<Typography.Text type="secondary">{t('noticeForm.selected', { n: selected.length })}</Typography.Text>}
          style={{ marginBottom: 16 }}
          styles={{ body: { padding: 0 } }}
        >
          {apps.error && <Alert type="error" showIcon title={apps.error.message} style={{ margin: 16 }} />}
          {selectError && !selected.length && (
            <Alert type="error" showIcon title={t('noticeForm.selectAtLeastOne')} style={{ margin: 16 }} data-testid="select-error" />
          )}
          <div style={{ padding: 16, paddingBottom: 8 }}>
            <Input.Search
              allowClear
              maxLength={100}
              placeholder={t('noticeForm.search')}
              onSearch={(v) => {
                setQ(v.trim());
                setPage((p) => ({ ...p, current: 1 }));
              }}
              style={{ maxWidth: 360 }}
              disabled={!campaignId}
              data-testid="notice-candidate-search"
            />
          </div>
          <Table<NoticeCandidate>
            rowKey="id"
            size="middle"
            loading={apps.loading}
            dataSource={apps.data?.items ?? []}
            pagination={{
              current: page.current,
              pageSize: page.pageSize,
              total: apps.data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: [20, 50, 100, 200],
              showTotal: (n) => t('noticeForm.total', { n }),
              onChange: (current, pageSize) => setPage({ current, pageSize }),
            }}
            scroll={{ x: 800 }}
            locale={{ emptyText: campaignId ? t('noticeForm.noneEvaluated') : t('noticeForm.pickCampaignFirst') }}
            rowSelection={{
              preserveSelectedRowKeys: true,
              selectedRowKeys: selected,
              onChange: (keys) => {
                setSelected(keys.map(Number));
                setSelectError(false);
              },
              getCheckboxProps: (r) => ({ name: `notice-pick-${r.id}`, 'data-testid': `notice-pick-${r.id}` }),
            }}
            columns={[
              { title: t('applications.subject'), dataIndex: 'subjectName', render: (n: string) => <strong>{n}</strong> },
              { title: t('applications.region'), dataIndex: 'regionName', width: 140 },
              { title: t('applications.category'), dataIndex: 'categoryName', width: 120 },
              { title: t('applications.score'), dataIndex: 'score', width: 90, align: 'right', render: (s: number | null) => fmtScore(s) },
              {
                title: t('applications.stars'),
                dataIndex: 'stars',
                width: 140,
                render: (s: number | null) => <Stars value={s} size={12} />,
              },
            ]}
          />
        </Card>
        <Space>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="notice-form-submit">
            {t('noticeForm.submit')}
          </Button>
          <Button onClick={() => navigate('/notices')}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </PageContainer>
  );
}
