import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { Alert, Button, Descriptions, Input, Result, Space, Spin } from 'antd';
import { LEVEL_LABELS } from '@pingan/core';
import { verifyCertificate } from '../../../api/titles';
import { errorMessage } from '../../../api/client';
import type { VerifyResult } from '../../../api/types';
import { useI18n } from '../../../locales';
import Stars from '../../../components/Stars';

/** 证书查验: a certificate number in, the title and whether it is valid out. */
export default function VerifyPage() {
  const { no } = useParams();
  const { t, pick } = useI18n();
  const navigate = useNavigate();
  const [input, setInput] = useState(no ?? '');
  const [empty, setEmpty] = useState(false);
  const [result, setResult] = useState<VerifyResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    setInput(no ?? '');
    setResult(null);
    setError(null);
    if (!no) return;
    let live = true;
    setLoading(true);
    verifyCertificate(no)
      .then((r) => live && setResult(r))
      .catch((e: unknown) => live && setError(errorMessage(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [no]);

  const go = () => {
    const v = input.trim().toUpperCase();
    if (!v) {
      setEmpty(true);
      return;
    }
    setEmpty(false);
    navigate(`/verify/${encodeURIComponent(v)}`);
  };

  return (
    <div className="public-paper verify">
      <h1 className="public-h1">{t('verify.title')}</h1>
      <p className="muted">{t('verify.intro')}</p>
      <Space.Compact style={{ width: '100%', maxWidth: 560 }}>
        <Input
          size="large"
          value={input}
          status={empty ? 'error' : undefined}
          onChange={(e) => setInput(e.target.value)}
          onPressEnter={go}
          placeholder={t('verify.placeholder')}
          maxLength={40}
          data-testid="verify-input"
        />
        <Button size="large" type="primary" onClick={go} data-testid="verify-submit">
          {t('verify.submit')}
        </Button>
      </Space.Compact>
      {empty && (
        <div className="text-error" style={{ marginTop: 4 }}>
          {t('verify.required')}
        </div>
      )}
      <div style={{ marginTop: 24 }}>
        {loading && <Spin />}
        {error && <Alert type="error" showIcon title={error} data-testid="verify-error" />}
        {result && (
          <div data-testid="verify-result" data-valid={result.valid}>
            <Result
              status={result.valid ? 'success' : 'error'}
              title={result.valid ? t('verify.valid') : t('verify.revoked')}
              subTitle={`${result.subjectName} · ${result.year} ${result.titleName}`}
              style={{ padding: '16px 0' }}
            />
            <Descriptions bordered column={1} size="middle" styles={{ label: { width: 160 } }}>
              <Descriptions.Item label={t('verify.certificateNo')}>
                <code>{result.certificateNo}</code>
              </Descriptions.Item>
              <Descriptions.Item label={t('verify.holder')}>{result.subjectName}</Descriptions.Item>
              <Descriptions.Item label={t('verify.region')}>{result.regionName}</Descriptions.Item>
              <Descriptions.Item label={t('verify.titleName')}>
                {result.year} · {result.titleName}
              </Descriptions.Item>
              <Descriptions.Item label={t('verify.stars')}>
                {result.level !== 'title' && <Stars value={result.stars} size={16} />} {pick(LEVEL_LABELS[result.level])}
              </Descriptions.Item>
              <Descriptions.Item label={t('verify.issuer')}>{result.issuer}</Descriptions.Item>
              <Descriptions.Item label={t('verify.date')}>{result.conferredOn}</Descriptions.Item>
              {!result.valid && result.revokeReason && (
                <Descriptions.Item label={t('verify.revokeReason')}>{result.revokeReason}</Descriptions.Item>
              )}
            </Descriptions>
          </div>
        )}
      </div>
    </div>
  );
}
