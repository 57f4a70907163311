import { useCallback, useState } from 'react';
import { Alert, Button, Descriptions, Modal, Progress, Space, Typography } from 'antd';
import { rateCampaign } from '../../../api/campaigns';
import type { Campaign, CampaignRatingResult } from '../../../api/types';
import { useT } from '../../../locales';
import { useJob } from './useJob';

/** 批量评级 (平安办): starts the job, shows its progress in a window that does not block the page. */
export default function RateCampaign({ c }: { c: Campaign }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const job = useJob<CampaignRatingResult>(useCallback(() => rateCampaign(c.id), [c.id]));
  const { status, error, running, percent } = job;
  const done = status?.state === 'done';
  const failed = status?.state === 'failed' || error !== null;

  const onClick = () => {
    setOpen(true);
    if (!running && !job.started) void job.start();
  };
  const result = done ? status.result : null;

  return (
    <>
      <Button onClick={onClick} loading={running && !open} data-testid={`rate-campaign-${c.id}`}>
        {running ? t('batchRating.batchRunning', { p: percent }) : t('batchRating.batch')}
      </Button>
      <Modal
        open={open}
        // non-blocking: no mask, clicks pass around the window to the page, focus stays free
        mask={false}
        focusable={{ trap: false }}
        styles={{ wrapper: { pointerEvents: 'none' } }}
        title={t('batchRating.title', { name: c.name })}
        onCancel={() => setOpen(false)}
        footer={
          <Space>
            {!running && job.started && (
              <Button onClick={() => void job.start()} data-testid={`rate-again-${c.id}`}>
                {t('batchRating.again')}
              </Button>
            )}
            <Button type="primary" onClick={() => setOpen(false)} data-testid="rate-close">
              {running ? t('batchRating.background') : t('batchRating.close')}
            </Button>
          </Space>
        }
      >
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <div data-testid="rate-progress" data-state={failed ? 'failed' : done ? 'done' : 'running'}>
            <Progress percent={percent} status={failed ? 'exception' : done ? 'success' : 'active'} />
            <Typography.Text type="secondary">{status?.message ?? (running ? t('batchRating.starting') : '')}</Typography.Text>
          </div>
          {running && <Alert type="info" showIcon title={t('batchRating.hint')} />}
          {error && (
            <Alert
              type="error"
              showIcon
              title={job.pollFailed ? t('batchRating.pollFailed', { msg: error }) : t('batchRating.failed')}
              description={job.pollFailed ? undefined : error}
            />
          )}
          {status?.state === 'failed' && <Alert type="error" showIcon title={t('batchRating.failed')} description={status.message} />}
          {result && (
            <Descriptions size="small" column={2} bordered data-testid="rate-result" title={t('batchRating.done')}>
              <Descriptions.Item label={t('batchRating.rated')}>{result.rated}</Descriptions.Item>
              <Descriptions.Item label={t('batchRating.updated')}>{result.updated}</Descriptions.Item>
              <Descriptions.Item label={t('batchRating.rerated')}>{result.reratedByEngine}</Descriptions.Item>
              <Descriptions.Item label={t('batchRating.drafts')}>{result.draftsSkipped}</Descriptions.Item>
              <Descriptions.Item label={t('batchRating.elapsed')} span={2}>
                {t('batchRating.ms', { n: result.ms.total })}
              </Descriptions.Item>
            </Descriptions>
          )}
        </Space>
      </Modal>
    </>
  );
}
