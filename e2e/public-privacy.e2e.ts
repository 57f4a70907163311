import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { isValidIdNumber } from '@pingan/core';
import { startServer, type RunningServer } from './server';
import { DEMO_PASSWORD, launchChromium, shot } from './ui';

/**
 * The privacy scan of the rendered public pages (the API answers and files are scanned by
 * apps/server/test/public-privacy.test.ts): on a phone, every public page of the demo world — the
 * home page, every notice, every vote, every page of the honour roll with every title's page, an
 * objection receipt, the check — is rendered, and its HTML and visible text are searched for the
 * full names of households and persons, 11-digit mobile numbers and valid 18-digit ID numbers.
 */
const PHONE = { width: 375, height: 812 };
const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
const ID_LIKE = /(?<!\d)\d{17}[\dXx](?!\d)/g;

describe('no personal data on any public page', () => {
  let server: RunningServer;
  let browser: Browser;
  let names: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    // the names to look for: every household and person the platform knows (the system administrator's list)
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'sysadmin', password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const subjects = (await (await fetch(`${server.url}/api/admin/subjects?limit=500`, { headers: { cookie } })).json()) as {
      items: { name: string; kind: string }[];
    };
    names = [
      ...new Set(
        subjects.items
          .filter((s) => s.kind === 'household' || s.kind === 'individual')
          .flatMap((s) => [s.name, s.name.replace(/家庭$/, '')])
          .filter((n) => [...n].length >= 2),
      ),
    ];
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('every public page, rendered on a phone, is free of names, mobile and ID numbers', async () => {
    expect(names.length).toBeGreaterThanOrEqual(5);
    const api = async <T>(p: string): Promise<T> => (await (await fetch(`${server.url}${p}`)).json()) as T;
    const context = await browser.newContext({ locale: 'zh-CN', viewport: PHONE, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const hits: string[] = [];
    const seen: string[] = [];

    const scan = async (p: Page, label: string) => {
      await p.waitForLoadState('networkidle');
      const { html, text } = await p.evaluate(() => ({ html: document.documentElement.outerHTML, text: document.body.innerText }));
      const all = `${html}\n${text}`;
      for (const n of names) if (all.includes(n)) hits.push(`${label}: name ${n}`);
      for (const m of all.matchAll(MOBILE)) hits.push(`${label}: mobile ${m[0]}`);
      for (const m of all.matchAll(ID_LIKE)) if (isValidIdNumber(m[0].toUpperCase())) hits.push(`${label}: ID ${m[0]}`);
      seen.push(label);
    };
    const visit = async (path: string, ready: string) => {
      await page.goto(`${server.url}${path}`);
      await page.getByTestId(ready).first().waitFor();
      await scan(page, path);
    };

    await visit('/public', 'home-notices');
    const notices = await api<{ items: { code: string; open: boolean }[] }>('/api/public/notices?limit=500');
    expect(notices.items.length).toBeGreaterThan(0);
    for (const n of notices.items) await visit(`/public/notices/${n.code}`, 'public-notice');

    await page.goto(`${server.url}/public/votes`);
    await scan(page, '/public/votes');
    const votes = await api<{ items: { code: string }[] }>('/api/public/votes?limit=500');
    for (const v of votes.items) {
      await page.goto(`${server.url}/public/votes/${v.code}`);
      await scan(page, `/public/votes/${v.code}`);
    }

    // every page of the honour roll, every status, and each title's page
    const titles: string[] = [];
    await visit('/public/honour?status=all', 'honour-item');
    for (let pageNo = 0; ; pageNo++) {
      const nos = await page
        .getByTestId('honour-item')
        .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname.split('/').pop()!));
      titles.push(...nos);
      const next = page.getByTestId('pager-next');
      if (!(await next.count()) || (await next.isDisabled())) break;
      await next.click();
      await page.waitForURL(/offset=/);
      await scan(page, `/public/honour?status=all (page ${pageNo + 2})`);
    }
    const all = await api<{ total: number }>('/api/public/honour?status=all&limit=1');
    expect(titles.length).toBe(all.total);
    for (const no of titles) await visit(`/t/${no}`, 'title-status');

    // an objection filed anonymously, and its receipt page
    const open = notices.items.find((n) => n.open);
    if (open) {
      const detail = await api<{ items: { code: string; status: string }[] }>(`/api/public/notices/${open.code}`);
      const candidate = detail.items.find((i) => i.status === 'in_notice');
      if (candidate) {
        const filed = await fetch(`${server.url}/api/public/candidates/${candidate.code}/objections`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ anonymous: true, text: '该对象存在问题，请核实。' }),
        });
        expect(filed.status).toBe(201);
        const { receipt } = (await filed.json()) as { receipt: string };
        await page.goto(`${server.url}/public/objections/${receipt}`);
        await scan(page, `/public/objections/${receipt}`);
      }
    }
    await visit('/verify', 'verify-input');
    await shot(page, 'privacy-last-page');
    await context.close();

    expect(hits, `personal data on public pages:\n${hits.join('\n')}`).toEqual([]);
    expect(seen.length).toBeGreaterThan(titles.length + notices.items.length);
  });
});
