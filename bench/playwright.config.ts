import { defineConfig } from '@playwright/test';

// `make bench` page-load measurements (bench/pageload.sh starts the release server
// and passes its address and a signed-in cookie). Not part of `make test`.
export default defineConfig({
  testDir: '.',
  testMatch: 'pageload.spec.ts',
  timeout: 300_000,
  workers: 1,
  reporter: [['list']],
  outputDir: '../target/bench-results',
  use: {
    baseURL: process.env.BENCH_URL,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
    },
  },
});
