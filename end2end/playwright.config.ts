import { defineConfig } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// The app under test: the debug build made by `make build`, on its own port and
// a fresh data folder, with no other configuration (the zero-config run).
const port = Number(process.env.E2E_PORT ?? 3100);
// A second install that does not approve new accounts by itself.
export const approvalPort = port + 1;
const root = path.resolve(__dirname, '..');
const serverBin = process.env.SERVER_BIN;
if (!serverBin) throw new Error('SERVER_BIN must point at the built server (make e2e sets it)');

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  // One worker: specs share two servers whose first account becomes the admin.
  workers: 1,
  reporter: [['list']],
  outputDir: './test-results',
  use: {
    baseURL: `http://localhost:${port}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
  // The main server's offline provider refuses prompts with this word: the studio spec's forced failure.
  // Its accounts start with no credits (the specs grant what they spend); the approval server keeps
  // the local default of 100 welcome credits, which its spec checks.
  webServer: [
    server(port, { LOCAL_MODERATION_WORDS: 'forbidden', WELCOME_CREDITS: '0' }),
    server(approvalPort, { AUTO_APPROVE: 'false' }),
  ],
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});

function server(listen: number, extra: Record<string, string>) {
  return {
    command: `${serverBin} serve`,
    cwd: root,
    url: `http://localhost:${listen}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    env: {
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'fw-e2e-')),
      LISTEN_ADDR: `127.0.0.1:${listen}`,
      PUBLIC_URL: `http://localhost:${listen}`,
      LEPTOS_SITE_ROOT: path.join(root, 'target/site'),
      RUST_LOG: 'warn',
      ...extra,
    },
  };
}
