import { useState } from 'react';
import { App, Button, Popconfirm, Tag, Tooltip, Upload } from 'antd';
import { deleteEvidence, EVIDENCE_ACCEPT, fileUrl, uploadEvidence, withdrawEvidence } from '../../../api/applications';
import { errorMessage } from '../../../api/client';
import type { EvidenceFile } from '../../../api/types';
import { useT } from '../../../locales';
import { fmtSize } from '../../../utils/format';

/**
 * A criterion's evidence files: download links, and for the applicant upload and delete. A file
 * already submitted (frozen) cannot be deleted: after a return it can be withdrawn from the next
 * submission, and stays in the history.
 */
export default function EvidenceList({
  applicationId,
  criterionId,
  files,
  editable,
  onChange,
}: {
  applicationId: number;
  criterionId: string;
  files: EvidenceFile[];
  editable: boolean;
  onChange?: (update: (all: EvidenceFile[]) => EvidenceFile[]) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [uploading, setUploading] = useState(0);

  const upload = async (file: File) => {
    setUploading((n) => n + 1);
    try {
      const f = await uploadEvidence(applicationId, criterionId, file);
      onChange?.((all) => [...all, f]);
      message.success(t('criterion.uploaded', { name: f.fileName }));
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setUploading((n) => n - 1);
    }
  };

  const withdraw = async (f: EvidenceFile) => {
    try {
      await withdrawEvidence(f.id);
      onChange?.((all) => all.filter((x) => x.id !== f.id));
      message.success(t('appx.withdrawnDone', { name: f.fileName }));
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const remove = async (f: EvidenceFile) => {
    try {
      await deleteEvidence(f.id);
      onChange?.((all) => all.filter((x) => x.id !== f.id));
      message.success(t('criterion.deleted', { name: f.fileName }));
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <div className="evidence">
      {files.length === 0 && !editable && <span className="muted">{t('criterion.noFiles')}</span>}
      {files.length > 0 && (
        <ul className="evidence-files" data-testid={`files-${criterionId}`}>
          {files.map((f) => (
            <li key={f.id}>
              <a href={fileUrl(f.id)} download={f.fileName} data-testid={`file-${f.id}`}>
                {f.fileName}
              </a>
              <span className="muted"> · {fmtSize(f.size)}</span>
              {f.withdrawnAt && (
                <Tooltip title={t('appx.withdrawnHint')}>
                  <Tag className="evidence-tag" data-testid={`withdrawn-${f.id}`}>
                    {t('appx.withdrawn')}
                  </Tag>
                </Tooltip>
              )}
              {editable && f.frozenIn !== null && !f.withdrawnAt && (
                <>
                  <Tooltip title={t('appx.frozenHint', { no: f.frozenIn })}>
                    <Tag color="blue" className="evidence-tag">
                      {t('appx.frozen')}
                    </Tag>
                  </Tooltip>
                  <Popconfirm
                    title={t('appx.confirmWithdraw', { name: f.fileName })}
                    okText={t('appx.withdraw')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => withdraw(f)}
                  >
                    <Button type="link" size="small" data-testid={`withdraw-file-${f.id}`}>
                      {t('appx.withdraw')}
                    </Button>
                  </Popconfirm>
                </>
              )}
              {editable && f.frozenIn === null && (
                <Popconfirm
                  title={t('criterion.confirmDelete', { name: f.fileName })}
                  okText={t('common.delete')}
                  cancelText={t('common.cancel')}
                  okButtonProps={{ danger: true }}
                  onConfirm={() => remove(f)}
                >
                  <Button type="link" size="small" danger data-testid={`delete-file-${f.id}`}>
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              )}
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <span data-testid={`upload-${criterionId}`} className="evidence-upload">
          <Upload
            accept={EVIDENCE_ACCEPT}
            multiple
            showUploadList={false}
            beforeUpload={(file) => {
              void upload(file);
              return false;
            }}
          >
            <Button size="small" loading={uploading > 0}>
              {uploading > 0 ? t('criterion.uploading') : t('criterion.upload')}
            </Button>
          </Upload>
          <span className="muted evidence-accept">{t('criterion.accept')}</span>
        </span>
      )}
    </div>
  );
}
