import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { publicLeaks } from './scripts/budget.mjs';

// Vendor chunks, apart from the app's own code so a release that changes only our pages leaves them
// cached (hashed assets are served immutable for a year). react also serves the public pages; antd
// only the staff app. The higher priority takes a module first, so react never lands in antd's chunk
// (antd's group takes its dependencies along). antd is two chunks: what the first screen needs
// (layout, menu, buttons: '$initial', statically imported by the entry) and what only pages use
// (tables, pickers, selects), loaded with the first page that needs it.
const REACT = /[\\/]node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler|cookie|set-cookie-parser)[\\/]/;
const ANTD =
  /[\\/]node_modules[\\/](antd|@ant-design|@rc-component|rc-[\w-]+|@babel[\\/]runtime|dayjs|stylis|@emotion|classnames|clsx)[\\/]/;

// Fails the build when a chunk the public pages can load holds staff code (src/ outside src/public/,
// antd, echarts): an import from the wrong folder would otherwise ship the staff app to phones.
const publicStaysPublic: Plugin = {
  name: 'public-stays-public',
  apply: 'build',
  generateBundle(_options, bundle) {
    const chunks = Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [c] : []));
    const leaks = publicLeaks(chunks);
    if (leaks.length) this.error(`the public pages (public.html) would load staff code:\n  ${leaks.slice(0, 20).join('\n  ')}`);
  },
};

// The server (Fastify) serves dist/ and answers /api; in development Vite proxies /api to it.
// Two pages: index.html (the staff app, antd) and public.html (the public's pages: /public, /t, /verify),
// which shares no code with the staff app so a phone loads only what the public pages need.
// Every page of either is a lazy chunk (src/routes.tsx, src/public/App.tsx); scripts/budget.mjs checks
// the first load after each build.
export default defineConfig({
  plugins: [react(), publicStaysPublic],
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    // dist/.vite/manifest.json: scripts/budget.mjs reads each page's first load from it
    manifest: true,
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        public: fileURLToPath(new URL('./public.html', import.meta.url)),
      },
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: REACT, priority: 20 },
            { name: 'zod', test: /[\\/]node_modules[\\/]zod[\\/]/, priority: 20 },
            { name: 'antd', test: ANTD, tags: ['$initial'], priority: 10 },
            { name: 'antd-pages', test: ANTD, priority: 5 },
          ],
        },
      },
    },
  },
});
