import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { App, Button, Card, Col, Form, Input, Row, Select, Space, Tabs, Tag, Typography } from 'antd';
import { getStandardVersion } from '../../../api/standards';
import { useAsync } from '../../../hooks/useAsync';
import { useT } from '../../../locales';
import PageContainer from '../../../components/PageContainer';
import ErrorBox from '../../../components/ErrorBox';
import Exception from '../../../components/Exception';
import UnsavedGuard from '../../../components/UnsavedGuard';
import { useStandard } from '../useStandard';
import { useEditor, type Mode } from './useEditor';
import FormEditor from './FormEditor';
import JsonEditor from './JsonEditor';
import ErrorSummary from './ErrorSummary';
import SaveModal from './SaveModal';

/** 新建版本 (平安办): start from a version, edit in a form or as JSON, check, preview the diff, save. */
export default function StandardEditorPage() {
  const t = useT();
  const { modal, message } = App.useApp();
  const navigate = useNavigate();
  const id = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  const std = useStandard(id);
  const versions = std.data?.versions ?? [];
  const from = Number(params.get('from'));
  const baseId = versions.some((v) => v.id === from) ? from : (versions.at(-1)?.id ?? 0);
  const base = useAsync(() => (baseId ? getStandardVersion(baseId) : Promise.resolve(undefined)), [baseId]);
  const ed = useEditor(base.data);
  const [saving, setSaving] = useState(false);
  const [openId, setOpenId] = useState<number | null>(null);
  const nextVersion = versions.reduce((m, v) => Math.max(m, v.version), 0) + 1;

  // open the new version once the guard knows nothing is left unsaved
  useEffect(() => {
    if (openId !== null) navigate(`/standards/versions/${openId}`);
  }, [openId, navigate]);

  const switchBase = (vid: number) => {
    const go = () => setParams({ from: String(vid) }, { replace: true });
    if (!ed.dirty) return go();
    modal.confirm({ title: t('editor.switchBaseTitle'), content: t('editor.switchBaseBody'), okText: t('common.ok'), cancelText: t('common.cancel'), onOk: go });
  };

  if (!std.loading && !std.error && std.data === null) return <Exception kind="404" />;
  const { validation } = ed;
  const baseTotal = base.data ? base.data.doc.groups.reduce((s, g) => s + g.criteria.reduce((x, c) => x + c.points, 0), 0) : null;

  return (
    <PageContainer
      title={std.data ? t('editor.titleOf', { title: std.data.title }) : t('editor.title')}
      tags={<Tag color="gold">{t('editor.nextVersion', { n: nextVersion })}</Tag>}
      extra={
        <Space>
          <Link to={`/standards/${id}`}>← {t('standardDetail.history')}</Link>
          <Button type="primary" disabled={!validation.ok || !ed.changed} onClick={() => setSaving(true)} data-testid="save-version">
            {t('editor.save')}
          </Button>
        </Space>
      }
    >
      <UnsavedGuard dirty={ed.dirty} />
      {std.error && <ErrorBox error={std.error} onRetry={std.reload} />}
      {base.error && <ErrorBox error={base.error} onRetry={base.reload} />}
      {(!ed.draft || !base.data) && !std.error && !base.error && <Card loading />}
      {ed.draft && base.data && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card size="small">
            <Form layout="vertical" component="div">
              <Row gutter={16}>
                <Col xs={24} md={6}>
                  <Form.Item label={t('editor.base')} style={{ marginBottom: 12 }}>
                    <Select
                      value={baseId}
                      onChange={switchBase}
                      data-testid="editor-base"
                      options={[...versions].reverse().map((v) => ({ value: v.id, label: t('standards.versionLabel', { n: v.version, criteria: v.criteria, max: v.maxPoints }) }))}
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={18}>
                  <Form.Item label={t('editor.note')} style={{ marginBottom: 12 }}>
                    <Input value={ed.note} onChange={(e) => ed.setNote(e.target.value)} maxLength={500} placeholder={t('editor.notePlaceholder')} data-testid="version-note" />
                  </Form.Item>
                </Col>
              </Row>
            </Form>
            <Space orientation="vertical" size={8} style={{ width: '100%' }}>
              {ed.total !== null && (
                <Typography.Text type={baseTotal !== null && ed.total !== baseTotal ? 'warning' : 'secondary'} data-testid="editor-total">
                  {baseTotal !== null && ed.total !== baseTotal ? t('editor.totalChanged', { n: ed.total, base: baseTotal }) : t('editor.total', { n: ed.total })}
                </Typography.Text>
              )}
              <ErrorSummary errors={validation.errors} />
            </Space>
          </Card>
          <Tabs
            activeKey={ed.mode}
            onChange={(k) => {
              if (!ed.setMode(k as Mode)) message.warning(t('editor.jsonBlocked'));
            }}
            items={[
              { key: 'form', label: <span data-testid="editor-tab-form">{t('editor.tabForm')}</span>, children: <FormEditor doc={ed.draft} errors={validation.errors} update={ed.update} /> },
              { key: 'json', label: <span data-testid="editor-tab-json">{t('editor.tabJson')}</span>, children: <JsonEditor text={ed.jsonText} blocked={!validation.ok} onChange={ed.setJsonText} /> },
            ]}
          />
        </Space>
      )}
      {saving && validation.ok && base.data && (
        <SaveModal
          standardId={id}
          base={base.data.doc}
          baseVersion={base.data.version}
          nextVersion={nextVersion}
          doc={validation.doc}
          note={ed.note}
          onCancel={() => setSaving(false)}
          onSaved={(v) => {
            ed.markSaved();
            setSaving(false);
            message.success(t('editor.saved', { n: v.version }));
            setOpenId(v.id);
          }}
        />
      )}
    </PageContainer>
  );
}
