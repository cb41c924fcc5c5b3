import { defineConfig } from 'vite';

// The console is served by the api from this folder's dist/ (LLMQ_WEB_DIR); its strict
// Content-Security-Policy allows no inline script, so nothing may be inlined into index.html.
export default defineConfig({
  root: import.meta.dirname,
  // `vite` here serves the console with live reloading, against the api of `npm start`.
  server: { proxy: { '/v1': 'http://127.0.0.1:3000' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    target: 'es2022',
  },
});
