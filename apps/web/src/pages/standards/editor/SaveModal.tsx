import { useMemo, useState } from 'react';
import { Alert, Modal, Space, Typography } from 'antd';
import { diffStandards, type StandardDoc } from '@pingan/core';
import { addStandardVersion } from '../../../api/standards';
import { ApiError, errorMessage } from '../../../api/client';
import type { NewStandardVersion } from '../../../api/types';
import { useT } from '../../../locales';
import DiffTable, { diffCounts } from '../components/DiffTable';
import ErrorSummary from './ErrorSummary';
import { wordErrors, type FieldError } from './validation';

function detailErrors(e: unknown): string[] {
  if (!(e instanceof ApiError) || typeof e.details !== 'object' || e.details === null) return [];
  const errors = (e.details as { errors?: unknown }).errors;
  return Array.isArray(errors) ? errors.filter((x): x is string => typeof x === 'string') : [];
}

/** 保存为新版本: what changes against the base version, then the post; the server's errors stay here. */
export default function SaveModal({
  standardId,
  base,
  baseVersion,
  nextVersion,
  doc,
  note,
  onSaved,
  onCancel,
}: {
  standardId: number;
  base: StandardDoc;
  baseVersion: number;
  nextVersion: number;
  doc: StandardDoc;
  note: string;
  onSaved: (v: NewStandardVersion) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const changes = useMemo(() => diffStandards(base, doc), [base, doc]);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<{ message: string; errors: FieldError[] } | null>(null);

  const save = async () => {
    setBusy(true);
    setServerError(null);
    try {
      onSaved(await addStandardVersion(standardId, doc, note.trim() || null));
    } catch (e) {
      setServerError({ message: errorMessage(e), errors: wordErrors(detailErrors(e), doc, t) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={1100}
      title={t('editor.saveTitle', { n: nextVersion })}
      okText={t('editor.saveConfirm')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ disabled: changes.length === 0, 'data-testid': 'save-confirm' }}
      onOk={save}
      onCancel={onCancel}
      destroyOnHidden
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {serverError &&
          (serverError.errors.length ? (
            <ErrorSummary errors={serverError.errors} title={t('editor.serverErrors', { message: serverError.message })} testId="server-errors" />
          ) : (
            <Alert type="error" showIcon title={serverError.message} data-testid="server-errors" />
          ))}
        <Typography.Text type="secondary">{note.trim() ? t('editor.noteLabel', { note: note.trim() }) : t('editor.noNote')}</Typography.Text>
        {changes.length === 0 ? (
          <Alert type="warning" showIcon title={t('editor.noChanges')} />
        ) : (
          <Typography.Text strong data-testid="save-diff-summary">
            {t('editor.changesAgainst', { n: baseVersion })}
            {diffCounts(changes, t)}
          </Typography.Text>
        )}
        <DiffTable changes={changes} testId="save-diff" />
      </Space>
    </Modal>
  );
}
