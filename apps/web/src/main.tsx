import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'antd/dist/reset.css';
import './styles.css';
import App from './App';

// The bundled Noto Sans SC: its @font-face list is ~100 kB gzip for two weights, so it loads after the
// first paint (as on the public pages); until then the system's CJK font shows (font-display: swap).
void import('@fontsource/noto-sans-sc/400.css');
void import('@fontsource/noto-sans-sc/700.css');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
