import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

const apiPort = process.env.PORT ?? '8080';

export default defineConfig({
  root: 'web',
  plugins: [svelte()],
  build: { outDir: '../dist/web', emptyOutDir: true },
  server: { proxy: { '/api': `http://127.0.0.1:${apiPort}` } },
  test: {
    root: '.',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    testTimeout: 45_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // a fixed key for sealed secrets, so tests never write one into the repository's data directory
    env: {
      KLANKBORD_LOG_LEVEL: 'error',
      KLANKBORD_SCRYPT_COST: '14',
      KLANKBORD_SECRET_KEY: 'dGVzdHMtb25seS1rbGFua2JvcmQtc2VjcmV0LWtleSE=',
    },
  },
});
