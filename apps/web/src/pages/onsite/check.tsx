import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Empty, Input, InputNumber, Modal, Radio, Space, Spin, Tag, Typography } from 'antd';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { Dayjs } from 'dayjs';
import { errorMessage } from '../../api/client';
import {
  deletePhoto,
  getOnsite,
  photoUrl,
  requestRectification,
  saveOnsite,
  submitOnsite,
  uploadPhoto,
  type ChecklistItem,
  type OnsitePage,
  type OnsitePhoto,
} from '../../api/experts';
import { useAsync } from '../../hooks/useAsync';
import { useT } from '../../locales';
import ErrorBox from '../../components/ErrorBox';
import RectificationsPanel from '../applications/detail/RectificationsPanel';
import { fmtTime } from '../../utils/format';

interface Draft {
  met: boolean | null;
  score: number | null;
  note: string;
}

/** The browser's position, or null when refused or unavailable (5 s at most). */
function locate(): Promise<{ latitude: number; longitude: number } | null> {
  return new Promise((resolve) => {
    if (typeof navigator === 'undefined' || !navigator.geolocation) return resolve(null);
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ latitude: Math.round(p.coords.latitude * 1e6) / 1e6, longitude: Math.round(p.coords.longitude * 1e6) / 1e6 }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: 5000, maximumAge: 60000 },
    );
  });
}

function PhotoThumb({ p, onDelete, t }: { p: OnsitePhoto; onDelete?: () => void; t: ReturnType<typeof useT> }) {
  return (
    <div style={{ width: 96 }}>
      <a href={photoUrl(p.id)} target="_blank" rel="noreferrer">
        <img src={photoUrl(p.id)} alt="" style={{ width: 96, height: 72, objectFit: 'cover', borderRadius: 4, display: 'block' }} />
      </a>
      <Typography.Text type="secondary" style={{ fontSize: 11, display: 'block', lineHeight: 1.3 }}>
        {p.takenAt ? fmtTime(p.takenAt) : t('onsite.photo.noTime')}
        <br />
        {p.latitude != null ? `${p.latitude.toFixed(4)}, ${p.longitude?.toFixed(4)}` : t('onsite.photo.noPos')}
        <br />
        {t(`onsite.photo.source.${p.source}`)}
      </Typography.Text>
      {onDelete && (
        <Button size="small" type="link" danger onClick={onDelete} style={{ padding: 0 }}>
          {t('onsite.photo.delete')}
        </Button>
      )}
    </div>
  );
}

function CriterionCard({
  item,
  draft,
  photos,
  rects,
  readOnly,
  onChange,
  onPhoto,
  onDeletePhoto,
  onRectify,
}: {
  item: ChecklistItem;
  draft: Draft;
  photos: OnsitePhoto[];
  rects: OnsitePage['rectifications'];
  readOnly: boolean;
  onChange: (d: Draft) => void;
  onPhoto: (file: File) => void;
  onDeletePhoto: (id: number) => void;
  onRectify: () => void;
}) {
  const t = useT();
  const fileRef = useRef<HTMLInputElement>(null);
  const id = item.criterionId;
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      data-testid={`onsite-criterion-${id}`}
      title={
        <span style={{ whiteSpace: 'normal' }}>
          {t('onsite.criterion', { id })}
          {item.title ? ` ${item.title}` : ''}
        </span>
      }
      extra={
        <Space size={4}>
          {item.veto && <Tag color="red">{t('onsite.veto')}</Tag>}
          <Tag>{t('onsite.points', { n: item.points })}</Tag>
        </Space>
      }
    >
      <Typography.Paragraph style={{ marginBottom: 8 }}>{item.text}</Typography.Paragraph>
      {!!item.evidence.length && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t('onsite.evidence')}：{item.evidence.join('；')}
        </Typography.Paragraph>
      )}
      {!!item.measures.length && (
        <div style={{ marginBottom: 8 }}>
          {item.measures.map((m) => (
            <div key={m.id}>
              <Typography.Text>
                {t('onsite.verify')}：{m.want}
              </Typography.Text>
              <Typography.Text type="secondary">
                {' '}
                （{t('onsite.reported')} {item.reported[m.id] ?? '—'}）
              </Typography.Text>
            </div>
          ))}
        </div>
      )}
      {rects.map((r) => (
        <Alert
          key={r.id}
          type={r.status === 'accepted' ? 'success' : 'warning'}
          style={{ marginBottom: 8 }}
          message={`${t('onsite.rect')}（${t(`rect.status.${r.status}`)}）：${r.request}`}
        />
      ))}
      <Space direction="vertical" style={{ width: '100%' }}>
        <Radio.Group
          value={draft.met === null ? undefined : draft.met ? 'met' : 'not'}
          onChange={(e) => onChange({ ...draft, met: e.target.value === 'met' })}
          disabled={readOnly}
          buttonStyle="solid"
          style={{ display: 'flex' }}
        >
          <Radio.Button value="met" style={{ flex: 1, textAlign: 'center' }}>
            <span data-testid={`onsite-criterion-${id}-met`}>{t('onsite.met')}</span>
          </Radio.Button>
          <Radio.Button value="not" style={{ flex: 1, textAlign: 'center' }}>
            <span data-testid={`onsite-criterion-${id}-notmet`}>{t('onsite.notMet')}</span>
          </Radio.Button>
        </Radio.Group>
        {item.judge === 'score' && (
          <InputNumber
            min={0}
            max={item.points}
            step={0.5}
            value={draft.score}
            onChange={(v) => onChange({ ...draft, score: v ?? null })}
            disabled={readOnly}
            placeholder={t('onsite.score', { n: item.points })}
            style={{ width: '100%' }}
            data-testid={`onsite-criterion-${id}-score`}
          />
        )}
        <Input.TextArea
          value={draft.note}
          onChange={(e) => onChange({ ...draft, note: e.target.value })}
          disabled={readOnly}
          autoSize={{ minRows: 1, maxRows: 5 }}
          maxLength={2000}
          placeholder={t('onsite.note')}
          data-testid={`onsite-criterion-${id}-note`}
        />
        <Space wrap size={8}>
          {photos.map((p) => (
            <PhotoThumb key={p.id} p={p} t={t} onDelete={readOnly ? undefined : () => onDeletePhoto(p.id)} />
          ))}
        </Space>
        {!readOnly && (
          <Space wrap>
            <input
              ref={fileRef}
              type="file"
              accept="image/jpeg,image/png"
              capture="environment"
              style={{ display: 'none' }}
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (f) onPhoto(f);
                e.target.value = '';
              }}
              data-testid={`onsite-photo-${id}`}
            />
            <Button onClick={() => fileRef.current?.click()}>{t('onsite.photo.take')}</Button>
            <Button type="link" onClick={onRectify} data-testid={`onsite-rectify-${id}`}>
              {t('onsite.rectify')}
            </Button>
          </Space>
        )}
      </Space>
    </Card>
  );
}

/** 现场核查清单: the expert's checklist page, made for a phone. Autosaves; 提交核查 at the end. */
export default function OnsiteCheckPage() {
  const t = useT();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const applicationId = Number(useParams().applicationId);
  const page = useAsync(() => getOnsite(applicationId), [applicationId]);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [place, setPlace] = useState('');
  const [pos, setPos] = useState<{ latitude: number; longitude: number } | null>(null);
  const [photos, setPhotos] = useState<OnsitePhoto[]>([]);
  const [saved, setSaved] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [rectFor, setRectFor] = useState<string | null>(null);
  const [rectText, setRectText] = useState('');
  const [rectDue, setRectDue] = useState<Dayjs | null>(null);
  const [rectKey, setRectKey] = useState(0);
  const data = page.data;
  const readOnly = data?.check?.status === 'submitted';

  useEffect(() => {
    if (!data) return;
    const d: Record<string, Draft> = {};
    for (const c of data.checklist) {
      const f = data.findings.find((x) => x.criterionId === c.criterionId);
      d[c.criterionId] = { met: f?.met ?? null, score: f?.score ?? null, note: f?.note ?? '' };
    }
    setDrafts(d);
    setPlace(data.check?.place ?? data.application.address ?? '');
    setPos(
      data.check?.latitude != null && data.check.longitude != null
        ? { latitude: data.check.latitude, longitude: data.check.longitude }
        : null,
    );
    setPhotos(data.photos);
    setDirty(false);
  }, [data]);

  const save = useCallback(async () => {
    if (!data || readOnly) return;
    try {
      const r = await saveOnsite(applicationId, {
        place: place.trim() || null,
        latitude: pos?.latitude ?? null,
        longitude: pos?.longitude ?? null,
        summary: null,
        findings: Object.entries(drafts).map(([criterionId, d]) => ({
          criterionId,
          met: d.met,
          score: d.score,
          note: d.note.trim() || null,
        })),
      });
      setSaved(r.savedAt);
      setDirty(false);
    } catch (e) {
      message.error(errorMessage(e));
    }
  }, [applicationId, data, drafts, message, place, pos, readOnly]);

  // autosave a moment after the last change
  useEffect(() => {
    if (!dirty) return;
    const h = setTimeout(save, 1200);
    return () => clearTimeout(h);
  }, [dirty, save]);

  const change = (id: string, d: Draft) => {
    setDrafts((old) => ({ ...old, [id]: d }));
    setDirty(true);
  };

  const locateCheck = async () => {
    const p = await locate();
    if (!p) message.warning(t('onsite.noLocation'));
    else {
      setPos(p);
      setDirty(true);
    }
  };

  const addPhoto = async (criterionId: string, file: File) => {
    const hide = message.loading(t('onsite.photo.uploading'), 0);
    try {
      const p = await locate();
      if (p && !pos) {
        setPos(p);
        setDirty(true);
      }
      const row = await uploadPhoto(applicationId, file, criterionId, {
        takenAt: new Date().toISOString(),
        latitude: p?.latitude,
        longitude: p?.longitude,
      });
      setPhotos((old) => [...old, row]);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      hide();
    }
  };

  const removePhoto = async (id: number) => {
    try {
      await deletePhoto(applicationId, id);
      setPhotos((old) => old.filter((p) => p.id !== id));
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  // unsaved changes are saved before the page reloads from the server
  const saveThenReload = async () => {
    if (dirty) await save();
    page.reload();
  };

  const sendRect = async () => {
    if (!rectFor || !rectText.trim() || !rectDue) return;
    try {
      if (dirty) await save();
      await requestRectification(applicationId, { criterionId: rectFor, request: rectText.trim(), dueOn: rectDue.format('YYYY-MM-DD') });
      message.success(t('onsite.rectSent'));
      setRectFor(null);
      setRectText('');
      setRectDue(null);
      setRectKey((k) => k + 1);
      page.reload();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const missing = data ? data.checklist.filter((c) => drafts[c.criterionId]?.met == null && drafts[c.criterionId]?.score == null) : [];
  const submit = () =>
    modal.confirm({
      title: t('onsite.submitConfirm'),
      content: t('onsite.submitHelp'),
      onOk: async () => {
        setSubmitting(true);
        try {
          await save();
          const r = await submitOnsite(applicationId);
          message.success(t('onsite.submitted', { total: r.rating.total, max: r.rating.max }));
          navigate('/onsite');
        } catch (e) {
          message.error(errorMessage(e));
        } finally {
          setSubmitting(false);
        }
      },
    });

  if (page.error) return <ErrorBox error={page.error} onRetry={page.reload} />;
  if (!data) return <Spin style={{ display: 'block', margin: 48 }} />;

  return (
    <div className="onsite-page" style={{ maxWidth: 720, margin: '0 auto', overflowX: 'hidden' }}>
      <Link to="/onsite">{t('onsite.back')}</Link>
      <Typography.Title level={4} style={{ margin: '8px 0 4px' }}>
        {data.application.subjectName}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
        {data.application.categoryName} · {data.application.regionName}
      </Typography.Paragraph>
      {readOnly && <Alert type="success" showIcon message={t('onsite.alreadySubmitted')} style={{ marginBottom: 12 }} />}
      <Card size="small" style={{ marginBottom: 12 }} title={t('onsite.where')}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Input
            value={place}
            onChange={(e) => {
              setPlace(e.target.value);
              setDirty(true);
            }}
            disabled={readOnly}
            maxLength={200}
            placeholder={t('onsite.place')}
            data-testid="onsite-place"
          />
          <Space wrap>
            <Typography.Text type="secondary">{pos ? `${pos.latitude}, ${pos.longitude}` : t('onsite.noPosition')}</Typography.Text>
            {!readOnly && (
              <Button size="small" onClick={locateCheck} data-testid="onsite-locate">
                {t('onsite.locate')}
              </Button>
            )}
          </Space>
          <Typography.Text type="secondary">
            {t('onsite.startedAt')} {fmtTime(data.check?.startedAt)} {saved && `· ${t('onsite.savedAt', { time: fmtTime(saved) })}`}
          </Typography.Text>
        </Space>
      </Card>
      {data.checklist.length ? (
        data.checklist.map((c) => (
          <CriterionCard
            key={c.criterionId}
            item={c}
            draft={drafts[c.criterionId] ?? { met: null, score: null, note: '' }}
            photos={photos.filter((p) => p.criterionId === c.criterionId)}
            rects={data.rectifications.filter((r) => r.criterionId === c.criterionId)}
            readOnly={readOnly}
            onChange={(d) => change(c.criterionId, d)}
            onPhoto={(f) => addPhoto(c.criterionId, f)}
            onDeletePhoto={removePhoto}
            onRectify={() => setRectFor(c.criterionId)}
          />
        ))
      ) : (
        <Empty />
      )}
      <RectificationsPanel key={rectKey} applicationId={applicationId} role="expert" onChanged={saveThenReload} />
      {!readOnly && (
        <div
          style={{
            position: 'sticky',
            bottom: 0,
            background: 'var(--ant-color-bg-container, #fff)',
            padding: '12px 0',
            borderTop: '1px solid rgba(5,5,5,0.06)',
          }}
        >
          {missing.length > 0 && (
            <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 6 }}>
              {t('onsite.missing', { n: missing.length })}
            </Typography.Text>
          )}
          <Button
            type="primary"
            block
            size="large"
            disabled={missing.length > 0}
            loading={submitting}
            onClick={submit}
            data-testid="onsite-submit"
          >
            {t('onsite.submit')}
          </Button>
        </div>
      )}
      <Modal
        open={rectFor !== null}
        title={t('onsite.rectTitle', { id: rectFor ?? '' })}
        onCancel={() => setRectFor(null)}
        onOk={sendRect}
        okButtonProps={{ disabled: !rectText.trim() || !rectDue, 'data-testid': 'rect-request-submit' } as never}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <Input.TextArea
            value={rectText}
            onChange={(e) => setRectText(e.target.value)}
            maxLength={2000}
            autoSize={{ minRows: 3 }}
            placeholder={t('onsite.rectRequest')}
            data-testid="rect-request-text"
          />
          <DatePicker
            value={rectDue}
            onChange={setRectDue}
            placeholder={t('onsite.rectDue')}
            style={{ width: '100%' }}
            data-testid="rect-request-due"
          />
        </Space>
      </Modal>
    </div>
  );
}
