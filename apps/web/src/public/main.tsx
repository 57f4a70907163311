import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './public.css';
import App from './App';

// The bundled Noto Sans SC: its @font-face list is large (~100 kB gzip for two weights), so it loads
// after the first paint; until then the phone's own CJK font shows (font-display: swap).
void import('@fontsource/noto-sans-sc/400.css');
void import('@fontsource/noto-sans-sc/700.css');

/** The public entry (public.html): /public…, /t/…, /verify… — no antd, no staff code. */
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
