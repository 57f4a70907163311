import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { App, Button, Card, Col, Descriptions, Drawer, Empty, Popconfirm, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { VOTE_FLAG_LABELS } from '@pingan/core';
import { votesApi } from '@pingan/contract';
import { call, errorMessage, urlOf } from '../../api/client';
import { useAsync } from '../../hooks/useAsync';
import { useI18n, type MessageKey } from '../../locales';
import { fmtTime } from '../../utils/format';
import PageContainer from '../../components/PageContainer';
import ErrorBox from '../../components/ErrorBox';
import ReasonModal from '../notices/ReasonModal';
import { FLAG_COLOR, STATE_COLOR, type BallotRow, type VoteDetail } from './states';

type Group = VoteDetail['flags']['groups'][number];
type Cand = VoteDetail['tally']['candidates'][number];
const BALLOTS_PAGE = 20;

/**
 * 网络评选计票: the tally with both figures (all valid ballots; without the set-aside ones) and the
 * combined score; the anomaly flags grouped, their ballots, set aside with a reason or restored;
 * close (early with a reason), apply the result, export.
 */
export default function VoteDetailPage() {
  const { t, pick } = useI18n();
  const { message, notification } = App.useApp();
  const id = Number(useParams().id);
  const { data: v, error, loading, reload } = useAsync(() => call(votesApi.detail, { params: { id } }), [id]);
  const [group, setGroup] = useState<Group | null>(null);
  const [setAsideIds, setSetAsideIds] = useState<number[] | null>(null);
  const [closing, setClosing] = useState(false);
  const [busy, setBusy] = useState<'close' | 'apply' | null>(null);
  const [changed, setChanged] = useState(0);

  if (error && !v) return <ErrorBox error={error} onRetry={reload} />;
  if (!v) return <Card loading={loading} />;

  const close = async (reason: string | null) => {
    setBusy('close');
    try {
      await call(votesApi.close, { params: { id }, body: { reason } });
      message.success(t('votes.detail.closed'));
      reload();
    } finally {
      setBusy(null);
    }
  };
  const apply = async () => {
    setBusy('apply');
    try {
      const r = await call(votesApi.apply, { params: { id } });
      message.success(t('votes.detail.appliedDone', { n: r.applied.filter((a) => a.passed).length }));
      for (const a of r.applied.filter((x) => !x.passed))
        notification.warning({ title: t('votes.detail.appliedSkip', { name: a.subjectName, note: a.note ?? '' }) });
      reload();
    } catch (e) {
      notification.error({ title: v.title, description: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  };
  /** every ballot of a group (pages of 500) */
  const groupBallotIds = async (g: Group) => {
    const out: number[] = [];
    for (let offset = 0; ; offset += 500) {
      const r = await call(votesApi.ballots, {
        params: { id },
        query: { flag: g.flag, group: g.key, setAside: 'false', limit: 500, offset },
      });
      out.push(...r.items.map((b) => b.id));
      if (offset + 500 >= r.total) return out;
    }
  };

  const tallyColumns: ColumnsType<Cand> = [
    { title: t('votes.tally.rank'), dataIndex: 'rank', width: 70, align: 'center' },
    {
      title: t('votes.tally.candidate'),
      key: 'name',
      render: (_: unknown, c) => (
        <Space direction="vertical" size={0}>
          <Link to={`/applications/${c.applicationId}`}>
            <strong>{c.subjectName}</strong>
          </Link>
          <span className="muted">{c.regionName}</span>
        </Space>
      ),
    },
    { title: t('votes.tally.votesAll'), dataIndex: 'votesAll', width: 120, align: 'right' },
    {
      title: t('votes.tally.votes'),
      dataIndex: 'votes',
      width: 120,
      align: 'right',
      render: (n: number, c) => <strong data-testid={`tally-votes-${c.candidateId}`}>{n}</strong>,
    },
    { title: t('votes.tally.share'), dataIndex: 'sharePercent', width: 90, align: 'right', render: (p: number) => `${p}%` },
    { title: t('votes.tally.index'), dataIndex: 'index', width: 90, align: 'right' },
    {
      title: t('votes.tally.rating'),
      dataIndex: 'ratingPercent',
      width: 100,
      align: 'right',
      render: (p: number | null) => (p === null ? '—' : `${p}%`),
    },
    {
      title: t('votes.tally.combined'),
      dataIndex: 'combined',
      width: 90,
      align: 'right',
      render: (p: number | null) => (p === null ? '—' : <strong>{p}</strong>),
    },
    {
      title: t('votes.tally.step'),
      key: 'step',
      width: 110,
      render: (_: unknown, c) => (c.atVoteStep ? <Tag color="gold">{t('votes.tally.atStep')}</Tag> : <Tag>{t('votes.tally.moved')}</Tag>),
    },
  ];

  const groupColumns: ColumnsType<Group> = [
    {
      title: t('votes.flags.flag'),
      dataIndex: 'flag',
      width: 170,
      render: (f: Group['flag']) => <Tag color={FLAG_COLOR[f]}>{pick(VOTE_FLAG_LABELS[f])}</Tag>,
    },
    {
      title: t('votes.flags.group'),
      dataIndex: 'label',
      width: 160,
      // a minute in the reader's time, like every other time on the page; else the hash's first characters
      render: (l: string, g) => (g.flag === 'time_cluster' ? fmtTime(g.key) : <Typography.Text code>{l}</Typography.Text>),
    },
    { title: t('votes.flags.ballots'), dataIndex: 'ballots', width: 80, align: 'right' },
    { title: t('votes.flags.setAside'), dataIndex: 'setAside', width: 80, align: 'right' },
    { title: t('votes.flags.time'), key: 'time', render: (_: unknown, g) => `${fmtTime(g.from)} ~ ${fmtTime(g.to).slice(-5)}` },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 200,
      render: (_: unknown, g) => (
        <Space>
          <Button size="small" onClick={() => setGroup(g)} data-testid={`flag-view-${g.flag}`}>
            {t('votes.flags.view')}
          </Button>
          {v.canSetAside && g.setAside < g.ballots && (
            <Button
              size="small"
              danger
              onClick={async () => {
                try {
                  setSetAsideIds(await groupBallotIds(g));
                } catch (e) {
                  message.error(errorMessage(e));
                }
              }}
              data-testid={`flag-set-aside-${g.flag}`}
            >
              {t('votes.flags.setAsideAll')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  const f = v.flags;
  return (
    <PageContainer
      title={v.title}
      tags={
        <Tag color={STATE_COLOR[v.state]} data-testid="vote-state">
          {t(`votes.state.${v.state}` as MessageKey)}
        </Tag>
      }
      extra={
        <Space wrap>
          <Button href={`/public/votes/${v.publicCode}`} target="_blank" data-testid="vote-public-link">
            {t('votes.detail.public')}
          </Button>
          <Button href={urlOf(votesApi.detail, { params: { id }, query: { format: 'xlsx' } })} data-testid="vote-export">
            {t('votes.export')}
          </Button>
          {v.canClose &&
            (v.closeNeedsReason ? (
              <Button danger loading={busy === 'close'} onClick={() => setClosing(true)} data-testid="vote-close">
                {t('votes.detail.close')}
              </Button>
            ) : (
              <Popconfirm
                title={t('votes.detail.close')}
                description={t('votes.detail.closeConfirm')}
                onConfirm={() => close(null).catch((e) => message.error(errorMessage(e)))}
              >
                <Button danger loading={busy === 'close'} data-testid="vote-close">
                  {t('votes.detail.close')}
                </Button>
              </Popconfirm>
            ))}
          {v.canApply && (
            <Popconfirm title={t('votes.detail.apply')} description={t('votes.detail.applyConfirm')} onConfirm={apply}>
              <Button type="primary" loading={busy === 'apply'} data-testid="vote-apply">
                {t('votes.detail.apply')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      }
    >
      <div data-testid="vote-detail">
        <Card style={{ marginBottom: 16 }}>
          <Descriptions size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('votes.col.campaign')}>{v.campaignName}</Descriptions.Item>
            <Descriptions.Item label={t('votes.col.category')}>{v.categoryName}</Descriptions.Item>
            <Descriptions.Item label={t('votes.detail.period')}>
              {v.startsOn} ~ {v.endsOn}
            </Descriptions.Item>
            <Descriptions.Item label={t('votes.detail.rules')}>
              {t('votes.detail.rulesValue', { n: v.maxChoices, w: v.weightPercent })}
            </Descriptions.Item>
            {v.closeReason && <Descriptions.Item label={t('votes.detail.closeReason')}>{v.closeReason}</Descriptions.Item>}
            {v.appliedAt && <Descriptions.Item label={t('votes.detail.appliedAt')}>{fmtTime(v.appliedAt)}</Descriptions.Item>}
          </Descriptions>
        </Card>

        <Card title={t('votes.tally.title')} style={{ marginBottom: 16 }}>
          <Row gutter={16} style={{ marginBottom: 16 }}>
            <Col xs={8}>
              <Statistic title={t('votes.tally.all')} value={v.tally.ballotsAll} valueStyle={{ fontSize: 22 }} data-testid="tally-all" />
            </Col>
            <Col xs={8}>
              <Statistic
                title={t('votes.tally.setAside')}
                value={v.tally.ballotsSetAside}
                valueStyle={{ fontSize: 22, color: v.tally.ballotsSetAside ? '#cf1322' : undefined }}
                data-testid="tally-set-aside"
              />
            </Col>
            <Col xs={8}>
              <Statistic
                title={t('votes.tally.counted')}
                value={v.tally.ballotsCounted}
                valueStyle={{ fontSize: 22 }}
                data-testid="tally-counted"
              />
            </Col>
          </Row>
          <Table<Cand>
            rowKey="candidateId"
            size="small"
            columns={tallyColumns}
            dataSource={[...v.tally.candidates].sort((a, b) => a.rank - b.rank)}
            pagination={false}
            scroll={{ x: 900 }}
            onRow={(c) => ({ 'data-testid': `tally-row-${c.candidateId}` }) as never}
          />
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
            {t('votes.formula')}：{v.formula}
          </Typography.Paragraph>
        </Card>

        <Card title={t('votes.flags.title')} data-testid="vote-flags">
          {f.groups.length ? (
            <>
              <Typography.Paragraph data-testid="flags-summary">
                {t('votes.flags.summary', { n: f.flaggedBallots, m: f.medianPerMinute, c: f.clusterThreshold - 1 })}
              </Typography.Paragraph>
              <Typography.Paragraph type="secondary">
                {t('votes.flags.thresholds', {
                  bn: f.thresholds.burstMinBallots,
                  bw: f.thresholds.burstWindowMinutes,
                  dn: f.thresholds.sameDeviceMinBallots,
                  cf: f.thresholds.clusterFactor,
                  cm: f.thresholds.clusterMinBallots,
                })}
              </Typography.Paragraph>
              <Table<Group>
                rowKey={(g) => `${g.flag}:${g.key}`}
                size="small"
                columns={groupColumns}
                dataSource={f.groups}
                pagination={false}
                scroll={{ x: 800 }}
                onRow={(g) => ({ 'data-testid': `flag-group-${g.flag}` }) as never}
              />
            </>
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('votes.flags.none')} />
          )}
        </Card>
      </div>

      <BallotsDrawer
        voteId={id}
        group={group}
        canChange={v.canSetAside}
        refreshKey={changed}
        onClose={() => setGroup(null)}
        onSetAside={setSetAsideIds}
        onRestored={(n) => {
          message.success(t('votes.restore.done', { n }));
          setChanged((x) => x + 1);
          reload();
        }}
      />
      <ReasonModal
        open={setAsideIds !== null}
        title={t('votes.setAside.title', { n: setAsideIds?.length ?? 0 })}
        hint={t('votes.setAside.hint')}
        testId="set-aside-modal"
        onClose={() => setSetAsideIds(null)}
        onSubmit={async (reason) => {
          const r = await call(votesApi.setAside, { params: { id }, body: { ballotIds: setAsideIds!, reason } });
          message.success(t('votes.setAside.done', { n: r.changed }));
          setChanged((x) => x + 1);
          reload();
        }}
      />
      <ReasonModal
        open={closing}
        title={t('votes.detail.closeEarlyTitle', { title: v.title })}
        hint={t('votes.detail.closeEarlyHint')}
        testId="vote-close-modal"
        onClose={() => setClosing(false)}
        onSubmit={close}
      />
    </PageContainer>
  );
}

/** The ballots of one flag group, paged; select some to set aside or restore. */
function BallotsDrawer({
  voteId,
  group,
  canChange,
  refreshKey,
  onClose,
  onSetAside,
  onRestored,
}: {
  voteId: number;
  group: Group | null;
  canChange: boolean;
  refreshKey: number;
  onClose: () => void;
  onSetAside: (ids: number[]) => void;
  onRestored: (n: number) => void;
}) {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<number[]>([]);
  const { data, loading } = useAsync(
    () =>
      group
        ? call(votesApi.ballots, { params: { id: voteId }, query: { flag: group.flag, group: group.key, limit: BALLOTS_PAGE, offset } })
        : Promise.resolve(null),
    [voteId, group?.flag, group?.key, offset, refreshKey],
  );
  const rows = data?.items ?? [];
  const pickedRows = rows.filter((b) => selected.includes(b.id));
  const columns: ColumnsType<BallotRow> = [
    { title: t('votes.ballots.time'), dataIndex: 'createdAt', width: 170, render: (x: string) => fmtTime(x) },
    {
      title: t('votes.ballots.flags'),
      dataIndex: 'flags',
      render: (fl: BallotRow['flags']) => (
        <Space size={2} wrap>
          {fl.map((x) => (
            <Tag key={x} color={FLAG_COLOR[x]}>
              {pick(VOTE_FLAG_LABELS[x])}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('votes.ballots.network'),
      dataIndex: 'network',
      width: 100,
      render: (x: string) => <Typography.Text code>{x}</Typography.Text>,
    },
    {
      title: t('votes.ballots.device'),
      dataIndex: 'device',
      width: 100,
      render: (x: string) => <Typography.Text code>{x}</Typography.Text>,
    },
    { title: t('votes.ballots.choices'), dataIndex: 'choices', render: (c: string[]) => c.join('、') },
    {
      title: t('votes.ballots.state'),
      key: 'state',
      width: 180,
      render: (_: unknown, b) =>
        b.setAside ? (
          <Space direction="vertical" size={0}>
            <Tag color="red">{t('votes.ballots.setAside')}</Tag>
            <span className="muted">{b.setAsideReason}</span>
          </Space>
        ) : (
          <Tag color="green">{t('votes.ballots.counted')}</Tag>
        ),
    },
  ];
  return (
    <Drawer
      open={group !== null}
      onClose={() => {
        setSelected([]);
        setOffset(0);
        onClose();
      }}
      width={960}
      title={
        group
          ? t('votes.ballots.title', {
              group: `${pick(VOTE_FLAG_LABELS[group.flag])} ${group.flag === 'time_cluster' ? fmtTime(group.key) : group.label}`,
            })
          : ''
      }
      extra={
        canChange && (
          <Space>
            <Button
              danger
              disabled={!pickedRows.some((b) => !b.setAside)}
              onClick={() => onSetAside(pickedRows.filter((b) => !b.setAside).map((b) => b.id))}
              data-testid="ballots-set-aside"
            >
              {t('votes.ballots.setAsideSelected', { n: pickedRows.filter((b) => !b.setAside).length })}
            </Button>
            <Button
              disabled={!pickedRows.some((b) => b.setAside)}
              onClick={async () => {
                try {
                  const r = await call(votesApi.restore, {
                    params: { id: voteId },
                    body: { ballotIds: pickedRows.filter((b) => b.setAside).map((b) => b.id) },
                  });
                  setSelected([]);
                  onRestored(r.changed);
                } catch (e) {
                  message.error(errorMessage(e));
                }
              }}
              data-testid="ballots-restore"
            >
              {t('votes.ballots.restoreSelected', { n: pickedRows.filter((b) => b.setAside).length })}
            </Button>
          </Space>
        )
      }
      destroyOnHidden
    >
      <Table<BallotRow>
        rowKey="id"
        size="small"
        loading={loading}
        columns={columns}
        dataSource={rows}
        rowSelection={canChange ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]) } : undefined}
        pagination={{
          current: Math.floor(offset / BALLOTS_PAGE) + 1,
          pageSize: BALLOTS_PAGE,
          total: data?.total ?? 0,
          showSizeChanger: false,
          onChange: (p) => setOffset((p - 1) * BALLOTS_PAGE),
        }}
        scroll={{ x: 860 }}
        onRow={(b) => ({ 'data-testid': `ballot-row-${b.id}` }) as never}
      />
    </Drawer>
  );
}
