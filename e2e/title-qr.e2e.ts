import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { freePort, startServer, type RunningServer } from './server';
import { launchChromium, loginAs, SHOTS } from './ui';

/**
 * A plaque you can trust, from paper to phone: the QR code printed on a real certificate PDF is
 * decoded from the rendered page (pdftoppm + jsQR), opened on a phone, and says 有效; after an
 * incident is recorded and the office confirms revocation, the same address says 已撤销 at once.
 */
const PHONE = { width: 375, height: 812 };

function decodeQr(pdf: Buffer): string | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-qr-'));
  try {
    const file = path.join(dir, 'certificate.pdf');
    fs.writeFileSync(file, pdf);
    execFileSync('pdftoppm', ['-png', '-r', '150', '-singlefile', '-f', '1', '-l', '1', file, path.join(dir, 'page')]);
    const png = PNG.sync.read(fs.readFileSync(path.join(dir, 'page.png')));
    const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
    return code?.data ?? null;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('a certificate QR code opens the live status page, which follows a revocation', () => {
  let server: RunningServer;
  let browser: Browser;
  let office: Page;
  let phone: Page;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    // the QR code is built from the configured public address, never from the request
    server = await startServer({ port, env: { PUBLIC_BASE_URL: `http://127.0.0.1:${port}` } });
    browser = await launchChromium();
    office = await loginAs(browser, server.url, 'city_office');
    const ctx = await browser.newContext({ locale: 'zh-CN', viewport: PHONE, isMobile: true, hasTouch: true });
    phone = await ctx.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('decodes the QR code of a real certificate, reads 有效, and reads 已撤销 after the incident is confirmed', async () => {
    const list = (await (await office.request.get(`${server.url}/api/titles?limit=100`)).json()) as {
      items: { id: number; subjectId: number; certificateNo: string; publicStatus: string; publicUrl: string }[];
    };
    const title = list.items.find((t) => t.publicStatus === 'valid');
    expect(title, 'the demo world has a valid title the city office can see').toBeTruthy();

    const pdf = await office.request.get(`${server.url}/api/titles/${title!.id}/certificate.pdf?layout=a4`);
    expect(pdf.status()).toBe(200);
    const url = decodeQr(Buffer.from(await pdf.body()));
    expect(url).toBe(`http://127.0.0.1:${port}/t/${title!.certificateNo}`);

    await phone.goto(url!);
    await phone.getByTestId('title-page').waitFor();
    await expect.poll(() => phone.getByTestId('title-status').innerText()).toContain('有效');
    await phone.screenshot({ path: path.join(SHOTS, 'title-qr-valid.png'), fullPage: true });

    // 命案 at the holder: recorded, then confirmed by the office with revocation
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const recorded = await office.request.post(`${server.url}/api/incidents`, {
      data: { type: 'homicide', occurredOn: today, place: '单位门口', description: '浏览器测试：发生命案', subjectId: title!.subjectId },
      headers: { origin: server.url },
    });
    expect(recorded.status(), await recorded.text()).toBe(201);
    const incident = (await recorded.json()) as { id: number };
    const confirmed = await office.request.post(`${server.url}/api/incidents/${incident.id}/confirm`, {
      data: { consequences: ['revoke'], reason: '发生命案，一票否决' },
      headers: { origin: server.url },
    });
    expect(confirmed.status(), await confirmed.text()).toBe(200);

    await phone.reload();
    await phone.getByTestId('title-page').waitFor();
    await expect.poll(() => phone.getByTestId('title-status').innerText()).toContain('已撤销');
    expect(await phone.getByTestId('title-history').innerText()).toMatch(/撤销/);
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(PHONE.width);
    await phone.screenshot({ path: path.join(SHOTS, 'title-qr-revoked.png'), fullPage: true });
  });
});
