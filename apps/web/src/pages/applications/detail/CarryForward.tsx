import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Modal, Select, Space, Tag, Typography, type ButtonProps } from 'antd';
import type { ApplicationDetail } from '../../../api/types';
import type { Me } from '../../../api/types';
import { errorMessage } from '../../../api/client';
import { carryForward, getCarryForwardMarks, getCarryForwardOptions } from '../../../api/analytics';
import { useAsync } from '../../../hooks/useAsync';
import { useI18n } from '../../../locales';

/**
 * 沿用上年申报 on the application page: the applicant starts this year's draft from an earlier
 * application (a button, shown when an open campaign of a later year runs the category), and a
 * carried-forward application says which criteria changed or are new, with a link to each.
 */
export default function CarryForwardPanel({ detail, me }: { detail: ApplicationDetail; me: Me }) {
  return (
    <>
      {me.role === 'applicant' && <CarryForwardButton applicationId={detail.id} />}
      <CarryForwardMarksNote applicationId={detail.id} />
    </>
  );
}

function CarryForwardButton({ applicationId }: { applicationId: number }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const opts = useAsync(() => getCarryForwardOptions(applicationId), [applicationId]);
  const [open, setOpen] = useState(false);
  const [campaignId, setCampaignId] = useState<number>();
  const [busy, setBusy] = useState(false);
  const free = (opts.data?.campaigns ?? []).filter((c) => c.existingApplicationId === null);
  if (!free.length) return null;

  const run = async () => {
    if (!campaignId) return;
    setBusy(true);
    try {
      const r = await carryForward(applicationId, campaignId);
      message.success(t('analytics.cf.done', { copied: r.copied.length, changed: r.changed.length }));
      setOpen(false);
      navigate(`/applications/${r.applicationId}?tab=self`);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title={t('analytics.cf.offer', { year: opts.data!.source.year })}
        action={
          <Button
            type="primary"
            onClick={() => {
              setCampaignId(free[0]!.id);
              setOpen(true);
            }}
            data-testid="carry-forward"
          >
            {t('analytics.cf.button')}
          </Button>
        }
      />
      <Modal
        open={open}
        title={t('analytics.cf.button')}
        okText={t('analytics.cf.ok')}
        confirmLoading={busy}
        onOk={() => void run()}
        onCancel={() => setOpen(false)}
        okButtonProps={{ 'data-testid': 'carry-forward-ok' } as ButtonProps}
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <span>{t('analytics.cf.pick')}</span>
          <Select<number>
            style={{ width: '100%' }}
            value={campaignId}
            onChange={setCampaignId}
            options={free.map((c) => ({ value: c.id, label: `${c.year} · ${c.name}` }))}
            data-testid="carry-forward-campaign"
          />
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t('analytics.cf.explain')}
          </Typography.Paragraph>
          <Alert type="warning" showIcon title={t('analytics.cf.noFiles')} />
        </Space>
      </Modal>
    </>
  );
}

function CarryForwardMarksNote({ applicationId }: { applicationId: number }) {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const marks = useAsync(() => getCarryForwardMarks(applicationId), [applicationId]);
  const m = marks.data;
  if (!m?.carriedFrom) return null;
  const goTo = (criterionId: string) => {
    const next = new URLSearchParams(params);
    next.set('tab', 'self');
    setParams(next, { replace: true });
    window.setTimeout(
      () => document.getElementById(`criterion-${criterionId}`)?.scrollIntoView({ behavior: 'smooth', block: 'center' }),
      80,
    );
  };
  return (
    <Alert
      type={m.changed.length ? 'warning' : 'info'}
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="carry-forward-marks"
      title={t('analytics.cf.from', { year: m.carriedFrom.year, id: m.carriedFrom.applicationId, copied: m.copied.length })}
      description={
        <>
          {m.changed.length > 0 && (
            <div style={{ marginBottom: 4 }}>
              {t('analytics.cf.changedIntro')}
              <Space size={[4, 4]} wrap style={{ marginLeft: 4 }}>
                {m.changed.map((c) => (
                  <Tag
                    key={c.criterionId}
                    color={c.kind === 'added' ? 'blue' : 'orange'}
                    title={c.summary}
                    style={{ cursor: 'pointer' }}
                    onClick={() => goTo(c.criterionId)}
                    data-testid={`cf-mark-${c.criterionId}`}
                  >
                    {t(c.kind === 'added' ? 'analytics.cf.added' : 'analytics.cf.changed', { id: c.criterionId })}
                  </Tag>
                ))}
              </Space>
            </div>
          )}
          <div className="muted">{t('analytics.cf.noFiles')}</div>
        </>
      }
    />
  );
}
