import { describe, expect, it } from 'vitest';
import { checkBudget, firstLoadFiles, formatReport, publicLeaks, PUBLIC_LIMIT, type Manifest } from '../../web/scripts/budget.mjs';

/**
 * The web build's first-load budget (apps/web/scripts/budget.mjs, run by `npm run build -w @pingan/web`):
 * its logic over a fake Vite manifest. It lives here because the root vitest config picks up
 * apps/server/test only.
 */
const manifest: Manifest = {
  'index.html': {
    file: 'assets/main-a.js',
    isEntry: true,
    imports: ['_react-r.js', '_antd-x.js'],
    dynamicImports: ['src/pages/audit/index.tsx', 'node_modules/@fontsource/noto-sans-sc/400.css'],
    css: ['assets/main-a.css'],
  },
  'public.html': {
    file: 'assets/public-p.js',
    isEntry: true,
    imports: ['_react-r.js', '_zod-z.js'],
    dynamicImports: ['src/public/pages/home/HomePage.tsx'],
    css: ['assets/public-p.css'],
  },
  '_react-r.js': { file: 'assets/react-r.js', imports: ['_runtime.js'] },
  '_runtime.js': { file: 'assets/runtime.js' },
  '_zod-z.js': { file: 'assets/zod-z.js', imports: ['_runtime.js'] },
  '_antd-x.js': { file: 'assets/antd-x.js', imports: ['_react-r.js'], css: ['assets/antd-x.css'] },
  'src/pages/audit/index.tsx': { file: 'assets/audit-q.js', isEntry: false, imports: ['_antd-x.js'] },
  'src/public/pages/home/HomePage.tsx': { file: 'assets/HomePage-h.js', imports: ['_zod-z.js'], css: ['assets/HomePage-h.css'] },
  // the font: CSS loaded lazily, its woff2 files listed as assets (never counted)
  'node_modules/@fontsource/noto-sans-sc/400.css': {
    file: 'assets/400-f.js',
    css: ['assets/400-f.css'],
    assets: ['assets/noto-sans-sc-0-400-normal.woff2'],
  },
};

describe('the first-load budget', () => {
  it('counts the entry, its static imports (each once) and their CSS, not dynamic imports or fonts', () => {
    expect(firstLoadFiles(manifest, 'public.html')).toEqual([
      'assets/public-p.js',
      'assets/public-p.css',
      'assets/react-r.js',
      'assets/runtime.js',
      'assets/zod-z.js',
    ]);
    const staff = firstLoadFiles(manifest, 'index.html');
    expect(staff).toEqual([
      'assets/main-a.js',
      'assets/main-a.css',
      'assets/react-r.js',
      'assets/runtime.js',
      'assets/antd-x.js',
      'assets/antd-x.css',
    ]);
    expect(staff.some((f) => f.includes('audit') || f.includes('400-f') || f.endsWith('.woff2'))).toBe(false);
  });

  it('passes under the limit and prints both figures', () => {
    const result = checkBudget(manifest, () => 20_000); // 5 public files × 20 kB = 100 kB
    expect(result.public.bytes).toBe(100_000);
    expect(result.staff.bytes).toBe(120_000);
    expect(result.ok).toBe(true);
    const report = formatReport(result);
    expect(report).toHaveLength(1);
    expect(report[0]).toContain('staff (index.html) 120.0 kB');
    expect(report[0]).toContain('public (public.html) 100.0 kB');
  });

  it('fails over the limit, naming the public files largest first', () => {
    const sizes: Record<string, number> = { 'assets/react-r.js': 200_000, 'assets/zod-z.js': 60_000 };
    const result = checkBudget(manifest, (f) => sizes[f] ?? 1_000);
    expect(result.public.bytes).toBe(263_000);
    expect(result.ok).toBe(false);
    const report = formatReport(result).join('\n');
    expect(report).toContain('passes the budget by 13.0 kB');
    expect(report.indexOf('assets/react-r.js')).toBeLessThan(report.indexOf('assets/zod-z.js'));
    expect(report).toContain('assets/public-p.css');
    // the staff app's size alone never fails the build
    expect(checkBudget(manifest, (f) => (f.startsWith('assets/antd') ? 10_000_000 : 1_000)).ok).toBe(true);
  });

  it('takes the limit at 250 kB, inclusive', () => {
    expect(PUBLIC_LIMIT).toBe(250_000);
    expect(checkBudget(manifest, () => 50_000).ok).toBe(true); // exactly 250 kB
    expect(checkBudget(manifest, () => 50_001).ok).toBe(false);
  });

  it('names an entry missing from the manifest', () => {
    expect(() => firstLoadFiles(manifest, 'other.html')).toThrow(/other\.html/);
  });
});

describe('the public pages never load staff code', () => {
  const chunk = (fileName: string, moduleIds: string[], imports: string[] = [], dynamicImports: string[] = []) => ({
    fileName,
    moduleIds,
    imports,
    dynamicImports,
  });
  const bundle = [
    {
      ...chunk('public.js', ['/w/apps/web/public.html', '/w/apps/web/src/public/main.tsx'], ['react.js'], ['home.js']),
      name: 'public',
      isEntry: true,
    },
    { ...chunk('main.js', ['/w/apps/web/src/main.tsx'], ['react.js', 'antd.js']), name: 'main', isEntry: true },
    chunk('react.js', ['/w/node_modules/react/index.js', '/w/node_modules/react-dom/client.js']),
    chunk('antd.js', ['/w/node_modules/antd/es/button/index.js', '/w/node_modules/@rc-component/util/lib/index.js']),
    chunk('home.js', ['/w/apps/web/src/public/pages/home/HomePage.tsx', '/w/packages/contract/src/honour.ts'], ['react.js']),
  ];

  it('finds nothing when the public graph holds public code, react and the contract only', () => {
    expect(publicLeaks(bundle)).toEqual([]);
  });

  it('finds staff code and antd reached through a lazy page', () => {
    const leaky = bundle.map((c) =>
      c.fileName === 'home.js'
        ? { ...c, moduleIds: [...c.moduleIds, '/w/apps/web/src/locales/zh-CN.ts'], imports: ['react.js', 'antd.js'] }
        : c,
    );
    expect(publicLeaks(leaky)).toEqual([
      'home.js: /w/apps/web/src/locales/zh-CN.ts',
      'antd.js: /w/node_modules/antd/es/button/index.js',
      'antd.js: /w/node_modules/@rc-component/util/lib/index.js',
    ]);
    // the staff entry itself is full of it: the check follows the public entry only
    expect(publicLeaks(bundle, 'main').length).toBeGreaterThan(0);
  });
});
