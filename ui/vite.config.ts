import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The web UI: built into dist/ui, which the server serves at `/` (src/server/ui/ui-static.ts).
export default defineConfig(({ command }) => {
  // A build is always a production build, even when a test runner's NODE_ENV=test is inherited
  // (it would otherwise bundle React's development build and source paths).
  if (command === 'build') process.env.NODE_ENV = 'production';
  return config;
});

const config: UserConfig = {
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
};
