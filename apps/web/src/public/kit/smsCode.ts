import { useEffect, useRef, useState } from 'react';
import { publicCodesApi } from '@pingan/contract';
import { call } from './api';

/** Where a code was sent (masked) and for how many minutes it holds. */
export interface CodeSent {
  to: string;
  minutes: number;
}

/**
 * The SMS one-time code of a public form (objection, vote): sends it, and counts down the seconds
 * until the number may get another (the server's SMS_RESEND_SECONDS). A refusal (429, a bad
 * number) is thrown to the caller, which shows it with the rest of its form's errors.
 */
export function useSmsCode(purpose: 'objection' | 'vote' | 'survey') {
  const [sent, setSent] = useState<CodeSent | null>(null);
  const [wait, setWait] = useState(0);
  const [sending, setSending] = useState(false);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearInterval(timer.current), []);

  const countdown = (s: number) => {
    setWait(s);
    window.clearInterval(timer.current);
    timer.current = window.setInterval(() => {
      setWait((w) => {
        if (w <= 1) window.clearInterval(timer.current);
        return Math.max(0, w - 1);
      });
    }, 1000);
  };

  const send = async (phone: string): Promise<void> => {
    setSending(true);
    try {
      const r = await call(publicCodesApi.request, { body: { phone, purpose } });
      setSent({ to: r.sentTo, minutes: Math.round(r.expiresInSeconds / 60) });
      countdown(r.retryAfterSeconds);
    } finally {
      setSending(false);
    }
  };

  return { sent, wait, sending, send };
}
