import { useState } from 'react';
import { App, Button, Card, Col, Descriptions, Form, Input, Row, Tooltip, Typography } from 'antd';
import { revealContact, type ContactReveal } from '../../../api/applications';
import { errorMessage } from '../../../api/client';
import type { ApplicationDetail } from '../../../api/types';
import { useT } from '../../../locales';
import type { Draft, FormDraft } from './useDraft';

/**
 * 申报表: 申报内容, 平安创建活动计划, 联系人, 联系电话, and the household head's numbers. Staff see the
 * numbers masked; whoever owns a step (or the campaign's office) may reveal them, which is audited.
 */
export default function FormTab({ detail, draft, editable }: { detail: ApplicationDetail; draft: Draft; editable: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const f = draft.form;
  const missingField = (k: keyof FormDraft) => draft.missing.some((m) => m.criterionId === null && m.field === k);
  const [full, setFull] = useState<ContactReveal | null>(null);
  const [revealing, setRevealing] = useState(false);

  const reveal = async () => {
    setRevealing(true);
    try {
      setFull(await revealContact(detail.id));
      message.info(t('appx.revealed'));
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setRevealing(false);
    }
  };

  if (!editable) {
    const revealButton = detail.canRevealContact && !full && (
      <Tooltip title={t('appx.revealHint')}>
        <Button size="small" type="link" loading={revealing} onClick={() => void reveal()} data-testid="reveal-contact">
          {t('appx.reveal')}
        </Button>
      </Tooltip>
    );
    const phone = full ? full.contactPhone : detail.form.contactPhone;
    return (
      <Card>
        <Descriptions column={1} bordered size="middle" styles={{ label: { width: 180 } }}>
          <Descriptions.Item label={t('detail.subject')}>{detail.subject.name}</Descriptions.Item>
          <Descriptions.Item label={t('detail.address')}>{detail.subject.address ?? '—'}</Descriptions.Item>
          {detail.subject.idNumber && (
            <Descriptions.Item label={t('appx.subjectIdNumber')}>
              <span data-testid="subject-id-number">{full?.subjectIdNumber ?? detail.subject.idNumber}</span>
            </Descriptions.Item>
          )}
          {detail.subject.phone && (
            <Descriptions.Item label={t('appx.subjectPhone')}>
              <span data-testid="subject-phone">{full?.subjectPhone ?? detail.subject.phone}</span>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('detail.form.content')}>
            <div className="pre">{detail.form.content || '—'}</div>
          </Descriptions.Item>
          <Descriptions.Item label={t('detail.form.plan')}>
            <div className="pre">{detail.form.plan || '—'}</div>
          </Descriptions.Item>
          <Descriptions.Item label={t('detail.form.contactName')}>{detail.form.contactName || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('detail.form.contactPhone')}>
            <span data-testid="contact-phone">{phone || '—'}</span> {revealButton}
          </Descriptions.Item>
        </Descriptions>
      </Card>
    );
  }

  return (
    <Card>
      <Typography.Paragraph type="secondary">
        {detail.subject.name} · {detail.subject.address ?? ''}
        {detail.subject.idNumber && (
          <>
            {' · '}
            {t('appx.subjectIdNumber')} {detail.subject.idNumber}
          </>
        )}
        {detail.subject.phone && (
          <>
            {' · '}
            {t('appx.subjectPhone')} {detail.subject.phone}
          </>
        )}
      </Typography.Paragraph>
      <Form layout="vertical" component="div">
        <Form.Item label={t('detail.form.content')} required validateStatus={missingField('content') ? 'warning' : undefined}>
          <Input.TextArea
            value={f.content}
            onChange={(e) => draft.setFormField('content', e.target.value)}
            autoSize={{ minRows: 2, maxRows: 6 }}
            maxLength={5000}
            showCount
            placeholder={t('detail.form.contentPlaceholder')}
            data-testid="form-content"
          />
        </Form.Item>
        <Form.Item label={t('detail.form.plan')} required validateStatus={missingField('plan') ? 'warning' : undefined}>
          <Input.TextArea
            value={f.plan}
            onChange={(e) => draft.setFormField('plan', e.target.value)}
            autoSize={{ minRows: 5, maxRows: 16 }}
            maxLength={10000}
            showCount
            placeholder={t('detail.form.planPlaceholder')}
            data-testid="form-plan"
          />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item label={t('detail.form.contactName')} required validateStatus={missingField('contactName') ? 'warning' : undefined}>
              <Input
                value={f.contactName}
                onChange={(e) => draft.setFormField('contactName', e.target.value)}
                maxLength={50}
                data-testid="form-contact-name"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              label={t('detail.form.contactPhone')}
              required
              validateStatus={!draft.phoneValid ? 'error' : missingField('contactPhone') ? 'warning' : undefined}
              help={!draft.phoneValid ? t('detail.form.phoneInvalid') : undefined}
            >
              <Input
                value={f.contactPhone}
                onChange={(e) => draft.setFormField('contactPhone', e.target.value)}
                maxLength={20}
                data-testid="form-contact-phone"
              />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Card>
  );
}
