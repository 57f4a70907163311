import { Alert, Input, Typography } from 'antd';
import { useT } from '../../../locales';

/** 高级: the whole document as JSON text. */
export default function JsonEditor({ text, blocked, onChange }: { text: string; blocked: boolean; onChange: (text: string) => void }) {
  const t = useT();
  return (
    <div>
      <Typography.Paragraph type="secondary">{t('editor.jsonHint')}</Typography.Paragraph>
      {blocked && <Alert type="info" showIcon title={t('editor.jsonBlocked')} style={{ marginBottom: 12 }} />}
      <Input.TextArea
        value={text}
        onChange={(e) => onChange(e.target.value)}
        autoSize={{ minRows: 20, maxRows: 40 }}
        spellCheck={false}
        data-testid="editor-json"
        style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 13 }}
      />
    </div>
  );
}
