import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The web UI: built into dist/ui, which the server serves at `/` (src/server/ui/ui-static.ts).
export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  resolve: {
    // The SDK's core imports node:crypto for ids the browser never makes; the UI gets the
    // Web Crypto versions instead.
    alias: { 'node:crypto': here('src/node-crypto-shim.ts') },
  },
  build: {
    outDir: here('../dist/ui'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 600,
  },
  logLevel: 'warn',
});
