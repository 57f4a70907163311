import { Alert } from 'antd';
import { useT } from '../../../locales';
import type { FieldError } from './validation';

const SHOWN = 12;

/** The parser's (or the server's) field-named errors at a glance; or that all is well. */
export default function ErrorSummary({ errors, title, testId = 'editor-errors' }: { errors: FieldError[]; title?: string; testId?: string }) {
  const t = useT();
  if (errors.length === 0) return <Alert type="success" showIcon title={t('editor.valid')} data-testid="editor-valid" />;
  return (
    <Alert
      type="error"
      showIcon
      data-testid={testId}
      title={title ?? t('editor.errorsTitle', { n: errors.length })}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
          {errors.slice(0, SHOWN).map((e, i) => (
            <li key={i}>
              <code>{e.path}</code>
              {e.where && <span className="muted">（{e.where}）</span>}：{e.message}
            </li>
          ))}
          {errors.length > SHOWN && <li className="muted">{t('editor.errorsMore', { n: errors.length - SHOWN })}</li>}
        </ul>
      }
    />
  );
}
