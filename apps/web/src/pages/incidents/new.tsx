import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Alert, App, Button, Card, DatePicker, Form, Input, Radio, Select, Space, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd/es/upload/interface';
import dayjs, { type Dayjs } from 'dayjs';
import { DEFAULT_INCIDENT_RULES, INCIDENT_TYPES, INCIDENT_TYPE_LABELS, type IncidentType } from '@pingan/core';
import { errorMessage } from '../../api/client';
import { useAsync } from '../../hooks/useAsync';
import { useI18n } from '../../locales';
import PageContainer from '../../components/PageContainer';
import { EVIDENCE_ACCEPT, listRegions, listTargets, recordIncident, uploadIncidentFile } from './api';
import { ConsequenceTags } from './tags';
import { withMoreMatches } from '../../components/MoreMatches';

interface Values {
  target: 'subject' | 'region';
  subjectId?: number;
  regionId?: number;
  type: IncidentType;
  occurredOn: Dayjs;
  place: string;
  description: string;
}

/** 登记事件: a department or office records an incident against a unit/household or a region, with evidence. */
export default function IncidentNewPage() {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [q, setQ] = useState('');
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [saving, setSaving] = useState(false);
  const target = Form.useWatch('target', form) ?? 'subject';
  const type = Form.useWatch('type', form);
  const targets = useAsync(() => listTargets(q), [q]);
  const regions = useAsync(listRegions, []);
  const rule = type ? DEFAULT_INCIDENT_RULES[type] : null;
  const regionOptions = useMemo(
    () => (regions.data ?? []).map((r) => ({ value: r.id, label: `${r.name}（${t(`incidents.level.${r.level}`)}）` })),
    [regions.data, t],
  );

  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      const created = await recordIncident({
        type: v.type,
        occurredOn: v.occurredOn.format('YYYY-MM-DD'),
        place: v.place.trim(),
        description: v.description.trim(),
        subjectId: v.target === 'subject' ? v.subjectId : null,
        regionId: v.target === 'region' ? v.regionId : null,
      });
      let failed = 0;
      for (const f of files) {
        try {
          await uploadIncidentFile(created.id, f.originFileObj as File);
        } catch (e) {
          failed++;
          message.error(`${f.name}：${errorMessage(e)}`);
        }
      }
      message.success(failed ? t('incidents.recordedSomeFiles', { n: failed }) : t('incidents.recorded'));
      navigate(`/incidents/${created.id}`);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <PageContainer
      title={t('incidents.newTitle')}
      subTitle={t('incidents.newSubtitle')}
      extra={<Link to="/incidents">{t('incidents.back')}</Link>}
    >
      <Card style={{ maxWidth: 860 }}>
        <Form<Values> form={form} layout="vertical" initialValues={{ target: 'subject' }} data-testid="incident-form">
          <Form.Item name="target" label={t('incidents.form.target')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'subject', label: t('incidents.target.subject') },
                { value: 'region', label: t('incidents.target.region') },
              ]}
            />
          </Form.Item>
          {target === 'subject' ? (
            <Form.Item
              name="subjectId"
              label={t('incidents.form.subject')}
              rules={[{ required: true, message: t('incidents.form.subjectRequired') }]}
            >
              <Select
                showSearch
                filterOption={false}
                onSearch={setQ}
                loading={targets.loading}
                placeholder={t('incidents.form.subjectPlaceholder')}
                data-testid="incident-subject"
                options={(targets.data?.items ?? []).map((s) => ({
                  value: s.id,
                  label: `${s.name} · ${s.regionName}${s.currentTitles ? ` · ${t('incidents.form.titlesHeld', { n: s.currentTitles })}` : ''}`,
                }))}
                popupRender={withMoreMatches(targets.data?.more, targets.data?.items.length ?? 0)}
              />
            </Form.Item>
          ) : (
            <Form.Item
              name="regionId"
              label={t('incidents.form.region')}
              rules={[{ required: true, message: t('incidents.form.regionRequired') }]}
            >
              <Select showSearch optionFilterProp="label" options={regionOptions} data-testid="incident-region" />
            </Form.Item>
          )}
          <Space wrap size="large" align="start">
            <Form.Item name="type" label={t('incidents.form.type')} rules={[{ required: true, message: t('incidents.form.typeRequired') }]}>
              <Select
                style={{ width: 220 }}
                data-testid="incident-type"
                options={INCIDENT_TYPES.map((x) => ({ value: x, label: pick(INCIDENT_TYPE_LABELS[x]) }))}
              />
            </Form.Item>
            <Form.Item
              name="occurredOn"
              label={t('incidents.form.occurredOn')}
              rules={[{ required: true, message: t('incidents.form.dateRequired') }]}
            >
              <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} data-testid="incident-date" />
            </Form.Item>
          </Space>
          {rule && (
            <Alert
              style={{ marginBottom: 16 }}
              type="info"
              showIcon
              title={
                <span>
                  {t('incidents.form.defaultRule')} <ConsequenceTags list={rule.consequences} />
                </span>
              }
              description={
                <>
                  <div>{pick(rule.note)}</div>
                  <Typography.Text type="secondary">{t('incidents.form.ruleHint')}</Typography.Text>
                </>
              }
            />
          )}
          <Form.Item
            name="place"
            label={t('incidents.form.place')}
            rules={[{ required: true, whitespace: true, message: t('incidents.form.placeRequired') }, { max: 200 }]}
          >
            <Input maxLength={200} data-testid="incident-place" />
          </Form.Item>
          <Form.Item
            name="description"
            label={t('incidents.form.description')}
            rules={[{ required: true, whitespace: true, message: t('incidents.form.descriptionRequired') }, { max: 5000 }]}
          >
            <Input.TextArea rows={5} maxLength={5000} showCount data-testid="incident-description" />
          </Form.Item>
          <Form.Item label={t('incidents.form.evidence')} extra={t('incidents.form.evidenceHint')}>
            <Upload
              multiple
              accept={EVIDENCE_ACCEPT}
              fileList={files}
              beforeUpload={(f) => {
                setFiles((prev) => [...prev, { uid: f.uid, name: f.name, originFileObj: f, status: 'done' } as UploadFile]);
                return false;
              }}
              onRemove={(f) => setFiles((prev) => prev.filter((x) => x.uid !== f.uid))}
            >
              <Button data-testid="incident-files">{t('incidents.form.chooseFiles')}</Button>
            </Upload>
          </Form.Item>
          <Space>
            <Button type="primary" loading={saving} onClick={submit} data-testid="incident-submit">
              {t('incidents.form.submit')}
            </Button>
            <Button onClick={() => navigate('/incidents')}>{t('common.cancel')}</Button>
          </Space>
        </Form>
      </Card>
    </PageContainer>
  );
}
