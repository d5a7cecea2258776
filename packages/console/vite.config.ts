import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The console builds into static files (dist/) that the service serves at `/` (server
 * api/console-assets.ts). Everything is bundled: no CDN, no web fonts, no source maps, so the
 * browser never asks another host for anything and the service's Content-Security-Policy can
 * allow 'self' only. `npm run dev -w packages/console` serves it with hot reload and forwards the
 * API to a running service (DRYDOCK_API, default http://127.0.0.1:8080).
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // Inlined assets would be data: URLs; as files they stay under the CSP's 'self'.
    assetsInlineLimit: 0,
    // antd and ECharts are large; pages are split per route, the shared vendor code is one chunk.
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: {
      '/api': process.env['DRYDOCK_API'] ?? 'http://127.0.0.1:8080',
    },
  },
});
