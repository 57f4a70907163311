import type { ReactNode } from 'react';
import { Space, Tag, Typography } from 'antd';
import { DEPARTMENTS, type Criterion, type DepartmentCode, type Lang as CoreLang } from '@pingan/core';
import { useI18n } from '../locales';

/** The core's language ('zh' | 'en') for the interface language, to render reasons and measures. */
export function coreLang(lang: string): CoreLang {
  return lang === 'zh-CN' ? 'zh' : 'en';
}

export function deptName(code: string, lang: string): string {
  const d = DEPARTMENTS[code as DepartmentCode];
  if (!d) return code;
  return lang === 'zh-CN' ? d.zh : d.en;
}

/** A criterion as the standard states it: number, text, who leads and cooperates, evidence, points, veto. */
export default function CriterionInfo({ c, extra }: { c: Criterion; extra?: ReactNode }) {
  const { t, lang } = useI18n();
  const sep = lang === 'zh-CN' ? '、' : ', ';
  return (
    <div className="criterion-info">
      <div className="criterion-head">
        <span className="criterion-id">{c.id}</span>
        {c.title && <span className="criterion-title">{c.title}</span>}
        <Space size={4} wrap className="criterion-tags">
          <Tag color="blue">{t('criterion.points', { n: c.points })}</Tag>
          <Tag>{c.judge === 'yesno' ? t('criterion.judgeYesno') : t('criterion.judgeScore')}</Tag>
          {c.veto && (
            <Tag color="red" data-testid={`veto-${c.id}`}>
              {t('criterion.veto')}
            </Tag>
          )}
          {extra}
        </Space>
      </div>
      <Typography.Paragraph className="criterion-text">{c.text}</Typography.Paragraph>
      <div className="criterion-meta">
        {c.responsibility && (
          <div>
            <span className="meta-label">{t('criterion.responsibility')}：</span>
            {c.responsibility}
          </div>
        )}
        {(c.lead.length > 0 || c.cooperate.length > 0) && (
          <div>
            {c.lead.length > 0 && (
              <span style={{ marginInlineEnd: 16 }}>
                <span className="meta-label">{t('criterion.lead')}：</span>
                {c.lead.map((d) => deptName(d, lang)).join(sep)}
              </span>
            )}
            {c.cooperate.length > 0 && (
              <span>
                <span className="meta-label">{t('criterion.cooperate')}：</span>
                {c.cooperate.map((d) => deptName(d, lang)).join(sep)}
              </span>
            )}
          </div>
        )}
        {c.evidence.length > 0 && (
          <div>
            <span className="meta-label">{t('criterion.evidence')}：</span>
            {c.evidence.join(sep)}
            {c.evidenceRequired && (
              <Tag color="orange" style={{ marginInlineStart: 8 }}>
                {t('criterion.evidenceRequired')}
              </Tag>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
