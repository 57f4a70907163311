import type { ReactNode } from 'react';
import { Form } from 'antd';

/** A labelled input with the parser's messages for its field under it. */
export default function Field({ label, errors, children, required }: { label: ReactNode; errors: string[]; children: ReactNode; required?: boolean }) {
  return (
    <Form.Item
      label={label}
      required={required}
      validateStatus={errors.length ? 'error' : undefined}
      help={errors.length ? errors.join('；') : undefined}
      style={{ marginBottom: 12 }}
    >
      {children}
    </Form.Item>
  );
}
