import { Tag } from 'antd';
import { STATUS_LABELS, type ApplicationStatus } from '@pingan/core';
import { useI18n } from '../locales';

export const STATUS_COLORS: Record<ApplicationStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  preliminary_passed: 'cyan',
  evaluated: 'geekblue',
  in_notice: 'gold',
  conferred: 'success',
  returned: 'warning',
  rejected: 'error',
  withdrawn: 'default',
};

export default function StatusTag({ status }: { status: ApplicationStatus }) {
  const { pick } = useI18n();
  return (
    <Tag color={STATUS_COLORS[status]} data-status={status} style={{ marginInlineEnd: 0 }}>
      {pick(STATUS_LABELS[status])}
    </Tag>
  );
}
