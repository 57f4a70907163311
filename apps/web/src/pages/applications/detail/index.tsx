import { useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, Result, Spin, Tabs } from 'antd';
import { STATUS_LABELS, type MissingItem } from '@pingan/core';
import { getApplication, reviewApplication, submitApplication } from '../../../api/applications';
import { ApiError, errorMessage } from '../../../api/client';
import type { Decision } from '../../../api/types';
import { useAsync } from '../../../hooks/useAsync';
import { useMe } from '../../../auth/AuthContext';
import { useI18n } from '../../../locales';
import UnsavedGuard from '../../../components/UnsavedGuard';
import DetailHeader from './DetailHeader';
import FormTab from './FormTab';
import SelfAssessmentTab from './SelfAssessmentTab';
import ReviewTab from './ReviewTab';
import RatingTab from './RatingTab';
import ReviewsTab from './ReviewsTab';
import HistoryTab from './HistoryTab';
import RevisionsTab from './RevisionsTab';
import MissingPanel from './MissingPanel';
import ChainProgress from './ChainProgress';
import RectificationsPanel from './RectificationsPanel';
import CarryForwardPanel from './CarryForward';
import ReasonModal from './ReasonModal';
import { useDraft } from './useDraft';
import { useReview } from './useReview';
import { fmtTime } from '../../../utils/format';

type TabKey = 'form' | 'self' | 'review' | 'rating' | 'reviews' | 'history' | 'revisions';
const TAB_KEYS: TabKey[] = ['form', 'self', 'review', 'rating', 'reviews', 'history', 'revisions'];

function missingOf(e: unknown): MissingItem[] | null {
  if (!(e instanceof ApiError) || e.code !== 'INCOMPLETE') return null;
  const d = e.details as { missing?: unknown } | undefined;
  return Array.isArray(d?.missing) ? (d.missing as MissingItem[]) : [];
}

/** 申报详情: the application form, self-assessment, review, rating, reviews and history. */
export default function ApplicationDetailPage() {
  const { id } = useParams();
  const appId = Number(id);
  const me = useMe();
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const { data: detail, error, loading, reload } = useAsync(() => getApplication(appId), [appId]);
  const draft = useDraft(detail);
  const review = useReview(detail, me);
  const [busy, setBusy] = useState<'save' | 'submit' | Decision | null>(null);
  const [conflict, setConflict] = useState(false);
  const [refused, setRefused] = useState<MissingItem[] | null>(null);
  const [attempted, setAttempted] = useState(false);
  const [reasonFor, setReasonFor] = useState<'return' | 'reject' | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const editable = !!detail?.canEdit;
  const defaultTab: TabKey = !detail
    ? 'form'
    : detail.canEdit
      ? 'form'
      : detail.canReview
        ? 'review'
        : detail.status === 'draft'
          ? 'form'
          : 'rating';
  const tabParam = params.get('tab') as TabKey | null;
  const tab: TabKey = tabParam && TAB_KEYS.includes(tabParam) && (tabParam !== 'review' || detail?.canReview) ? tabParam : defaultTab;
  const setTab = (k: TabKey) => {
    const next = new URLSearchParams(params);
    next.set('tab', k);
    setParams(next, { replace: true });
  };

  const marked = useMemo(() => {
    if (!attempted) return null;
    const m = new Map<string, MissingItem[]>();
    for (const x of draft.missing) if (x.criterionId) m.set(x.criterionId, [...(m.get(x.criterionId) ?? []), x]);
    return m;
  }, [attempted, draft.missing]);

  const fail = (e: unknown) => {
    const msg = errorMessage(e);
    if (e instanceof ApiError && e.code === 'CONFLICT') setConflict(true);
    setActionError(msg);
    message.error(msg);
  };

  const save = async (): Promise<boolean> => {
    if (!draft.phoneValid) {
      message.error(t('detail.form.phoneInvalid'));
      setTab('form');
      return false;
    }
    try {
      await draft.save();
      setActionError(null);
      return true;
    } catch (e) {
      fail(e);
      return false;
    }
  };

  const onSave = async () => {
    setBusy('save');
    const ok = await save();
    setBusy(null);
    if (ok) {
      setRefused(null);
      message.success(t('detail.saved'));
    }
  };

  const onSubmit = async () => {
    setBusy('submit');
    try {
      if (!(await save())) return;
      await submitApplication(appId);
      setRefused(null);
      setAttempted(false);
      message.success(t('detail.submitted'));
      reload();
    } catch (e) {
      const missing = missingOf(e);
      if (missing) {
        setRefused(missing);
        setAttempted(true);
        setActionError(null);
        message.error(errorMessage(e));
        window.scrollTo({ top: 0, behavior: 'smooth' });
      } else fail(e);
    } finally {
      setBusy(null);
    }
  };

  const decide = async (decision: Decision, reason?: string) => {
    const input = review.build(decision, reason);
    if (decision === 'none' && input.scores.length === 0 && !input.comment) {
      message.warning(t('review.nothingScored'));
      return;
    }
    setBusy(decision);
    try {
      const r = await reviewApplication(appId, input);
      setReasonFor(null);
      setActionError(null);
      message.success(decision === 'none' ? t('review.savedScores') : t('review.done', { status: pick(STATUS_LABELS[r.status]) }));
      reload();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(null);
    }
  };

  const goTo = (m: MissingItem) => {
    setTab(m.criterionId ? 'self' : 'form');
    if (m.criterionId)
      window.setTimeout(
        () => document.getElementById(`criterion-${m.criterionId}`)?.scrollIntoView({ behavior: 'smooth', block: 'center' }),
        80,
      );
  };

  if (!detail) {
    if (error)
      return (
        <Result
          status={error instanceof ApiError && error.status === 404 ? '404' : 'error'}
          title={error.message}
          extra={
            <Link to="/applications">
              <Button>{t('detail.backToList')}</Button>
            </Link>
          }
        />
      );
    return (
      <div className="center-block">
        <Spin size="large" spinning={loading} />
      </div>
    );
  }

  const decides = detail.allowedActions.some((a) => a === 'preliminary_pass' || a === 'evaluate' || a === 'return' || a === 'reject');

  const items = [
    { key: 'form', label: t('detail.tab.form'), children: <FormTab detail={detail} draft={draft} editable={editable} /> },
    {
      key: 'self',
      label: t('detail.tab.self'),
      children: <SelfAssessmentTab detail={detail} draft={draft} editable={editable} marked={marked} />,
    },
    ...(detail.canReview
      ? [
          {
            key: 'review',
            label: t('detail.tab.review'),
            children: <ReviewTab detail={detail} me={me} review={review} decides={decides} />,
          },
        ]
      : []),
    { key: 'rating', label: t('detail.tab.rating'), children: <RatingTab detail={detail} /> },
    { key: 'reviews', label: `${t('detail.tab.reviews')} (${detail.reviews.length})`, children: <ReviewsTab detail={detail} /> },
    { key: 'history', label: t('detail.tab.history'), children: <HistoryTab detail={detail} /> },
    ...(detail.submissions > 0
      ? [{ key: 'revisions', label: `${t('appx.tab.revisions')} (${detail.submissions})`, children: <RevisionsTab detail={detail} /> }]
      : []),
  ];

  return (
    <div className="page application-detail" data-testid="application-detail" data-status={detail.status}>
      <UnsavedGuard dirty={editable && draft.dirty} />
      <DetailHeader
        detail={detail}
        me={me}
        dirty={editable && draft.dirty}
        busy={busy}
        onSave={() => void onSave()}
        onSubmit={() => void onSubmit()}
        onDecide={(d) => (d === 'return' || d === 'reject' ? setReasonFor(d) : void decide(d))}
      />
      {conflict && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('detail.conflictTitle')}
          description={t('detail.conflictBody')}
          data-testid="conflict-alert"
          action={
            <Button
              onClick={() => {
                setConflict(false);
                setActionError(null);
                reload();
              }}
            >
              {t('detail.reload')}
            </Button>
          }
        />
      )}
      {actionError && !conflict && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={actionError}
          closable={{ onClose: () => setActionError(null) }}
          data-testid="action-error"
        />
      )}
      {detail.frozenRevision && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('appx.revising', { no: detail.frozenRevision.no, at: fmtTime(detail.frozenRevision.submittedAt) })}
          data-testid="revising-note"
        />
      )}
      {editable && detail.revising && detail.submissions > 0 && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('appx.revisingApplicant')} data-testid="revising-hint" />
      )}
      {editable && <MissingPanel live={draft.missing} refused={refused} onGo={goTo} />}
      {!editable && <ChainProgress detail={detail} />}
      <RectificationsPanel applicationId={detail.id} role={me.role} onChanged={reload} />
      <CarryForwardPanel detail={detail} me={me} />
      <Card className="detail-tabs-card" styles={{ body: { paddingTop: 4 } }}>
        <Tabs activeKey={tab} onChange={(k) => setTab(k as TabKey)} items={items} />
      </Card>
      {reasonFor && (
        <ReasonModal
          title={t(reasonFor === 'return' ? 'review.reasonTitle.return' : 'review.reasonTitle.reject')}
          okText={t(reasonFor === 'return' ? 'review.return' : 'review.reject')}
          busy={busy === reasonFor}
          onOk={(reason) => void decide(reasonFor, reason)}
          onCancel={() => setReasonFor(null)}
        />
      )}
    </div>
  );
}
