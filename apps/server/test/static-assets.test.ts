import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTestServer, type TestServer } from './helpers.js';

/**
 * The web build is sent once: hashed assets are cached a year and immutable, the pages are checked
 * each time, and the brotli or gzip copies written at build time go out when the browser takes them.
 * (Runs on PGlite only: nothing here touches the database beyond start-up.)
 */
describe('the web build as the browser receives it', () => {
  let s: TestServer;
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-dist-'));
  const js = 'console.log("平安创建");\n'.repeat(200);

  beforeAll(async () => {
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>staff</title>');
    fs.writeFileSync(path.join(dist, 'public.html'), '<!doctype html><title>public</title>');
    fs.writeFileSync(path.join(dist, 'assets', 'main-AbC123.js'), js);
    fs.writeFileSync(path.join(dist, 'assets', 'main-AbC123.js.br'), zlib.brotliCompressSync(js));
    fs.writeFileSync(path.join(dist, 'assets', 'main-AbC123.js.gz'), zlib.gzipSync(js));
    s = await getTestServer('pglite', { config: { WEB_DIST: dist } });
  }, 180_000);
  afterAll(async () => {
    await s?.close();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  it('caches hashed assets for a year, immutable, and sends the pre-compressed copy the browser accepts', async () => {
    const br = await s.app.inject({ method: 'GET', url: '/assets/main-AbC123.js', headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toBe(js);

    const gz = await s.app.inject({ method: 'GET', url: '/assets/main-AbC123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.rawPayload).toString()).toBe(js);

    const plain = await s.app.inject({ method: 'GET', url: '/assets/main-AbC123.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.payload).toBe(js);
  });

  it('checks the pages each time, and serves the public page for the public addresses', async () => {
    const staff = await s.app.inject({ method: 'GET', url: '/applications' });
    expect(staff.headers['cache-control']).toBe('no-cache');
    expect(staff.payload).toContain('staff');
    for (const url of ['/public', '/public/honour', '/t/PA2026-AAAAA-BBBBB-CCCCC-DDDDD', '/verify']) {
      const page = await s.app.inject({ method: 'GET', url });
      expect(page.statusCode, url).toBe(200);
      expect(page.payload, url).toContain('public');
      expect(page.headers['cache-control'], url).toBe('no-cache');
    }
  });
});
