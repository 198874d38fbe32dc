import { test, type BrowserContext, type Page } from '@playwright/test';
import * as fs from 'node:fs';

// What a person waits for: each page opened in a fresh browser (cold cache), then
// again (warm cache), with Chromium's CPU slowed 4x and the network shaped like
// Lighthouse's mobile profile ("slow 4G": 150 ms round trip, 1.6 Mbit/s down,
// 750 kbit/s up). Reported: bytes on the wire by kind and the time from
// navigation start until the app has hydrated the page (it then answers input).

const NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};
const CPU_SLOWDOWN = 4;
const PAGES = ['/', '/sign-in', '/library', '/studio', '/generations', '/credits', '/profile', '/chat', '/storyboard'];

type Bytes = { wasm: number; js: number; css: number; other: number };
type Visit = { bytes: Bytes; hydratedMs: number };

function kindOf(url: string): keyof Bytes {
  const path = new URL(url).pathname;
  if (path.endsWith('.wasm')) return 'wasm';
  if (path.endsWith('.js')) return 'js';
  if (path.endsWith('.css')) return 'css';
  return 'other';
}

async function visit(context: BrowserContext, page: Page, path: string): Promise<Visit> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  await cdp.send('Network.emulateNetworkConditions', NETWORK);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  const urls = new Map<string, string>();
  const bytes: Bytes = { wasm: 0, js: 0, css: 0, other: 0 };
  cdp.on('Network.requestWillBeSent', (e: any) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e: any) => {
    const url = urls.get(e.requestId);
    if (url) bytes[kindOf(url)] += e.encodedDataLength;
  });
  await page.goto(path, { waitUntil: 'commit' });
  await page.waitForFunction(() => (window as any).__hydratedAt !== undefined, null, { timeout: 120_000 });
  // Let late requests (chunks, prefetches) finish before counting.
  await page.waitForLoadState('networkidle');
  const hydratedMs = await page.evaluate(() => (window as any).__hydratedAt as number);
  await cdp.detach();
  return { bytes, hydratedMs };
}

test('page load under 4x CPU and slow 4G', async ({ browser, baseURL }) => {
  const cookie = process.env.BENCH_COOKIE!.split('=');
  const rows: string[] = [];
  const kib = (n: number) => (n / 1024).toFixed(1);
  for (const path of PAGES) {
    const context = await browser.newContext();
    await context.addCookies([{ name: cookie[0], value: cookie.slice(1).join('='), url: baseURL! }]);
    // Note the moment the app marks the page hydrated, on the page's own clock.
    await context.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.body?.dataset.hydrated === 'true') {
          (window as any).__hydratedAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-hydrated'] });
    });
    const page = await context.newPage();
    const cold = await visit(context, page, path);
    const warm = await visit(context, page, path);
    await context.close();
    const code = (b: Bytes) => b.wasm + b.js;
    rows.push(
      `| \`${path}\` | ${kib(code(cold.bytes))} | ${kib(cold.bytes.css)} | ${Math.round(cold.hydratedMs)} | ` +
        `${kib(code(warm.bytes) + warm.bytes.css)} | ${Math.round(warm.hydratedMs)} |`,
    );
  }
  const table = [
    `# Page load (${new Date().toISOString().slice(0, 16)}Z, Chromium, CPU ${CPU_SLOWDOWN}x slower, 150 ms RTT, 1.6 Mbit/s down)`,
    '',
    '| page | cold: wasm + JS on the wire (KiB) | cold: CSS (KiB) | cold: hydrated (ms) | warm: wasm + JS + CSS downloaded (KiB) | warm: hydrated (ms) |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
  console.log(`\n${table}\n`);
  fs.mkdirSync('results', { recursive: true });
  fs.writeFileSync('results/pageload.md', `${table}\n`);
});
