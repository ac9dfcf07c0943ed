import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The panel is served by the platform at /admin/; `npm run build:admin` writes admin/dist. */
export default defineConfig({
  root,
  base: '/admin/',
  plugins: [solid()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `vite --config admin/vite.config.ts` during development proxies the API to a running server
    proxy: { '/api': process.env.ZETA_API ?? 'http://127.0.0.1:3000' },
  },
});
