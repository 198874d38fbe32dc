import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The offline provider's clips must really play in Chromium: the server binary
// renders one exactly as a generation would, and a page plays it in <video>.
test('a local-provider clip plays in Chromium with the right duration and moving frames', async ({ page }) => {
  test.setTimeout(120_000);
  const out = join(mkdtempSync(join(tmpdir(), 'fw-clip-')), 'clip.webm');
  execFileSync(process.env.SERVER_BIN ?? 'target/debug/server', ['sample', 'local-video', '--duration', '4', '--out', out]);
  const clip = readFileSync(out);
  await page.route('**/sample/clip.webm', async (route) => {
    const range = /bytes=(\d*)-(\d*)/.exec(route.request().headers()['range'] ?? '');
    if (!range) {
      return route.fulfill({ status: 200, contentType: 'video/webm', headers: { 'accept-ranges': 'bytes' }, body: clip });
    }
    const start = range[1] ? Number(range[1]) : 0;
    const end = range[2] ? Math.min(Number(range[2]), clip.length - 1) : clip.length - 1;
    return route.fulfill({
      status: 206,
      contentType: 'video/webm',
      headers: { 'accept-ranges': 'bytes', 'content-range': `bytes ${start}-${end}/${clip.length}` },
      body: clip.subarray(start, end + 1),
    });
  });
  await page.route('**/sample/', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><video id="v" src="/sample/clip.webm" muted playsinline preload="auto"></video><canvas id="c"></canvas>' }),
  );
  await page.goto('/sample/');
  const result = await page.evaluate(async () => {
    const v = document.getElementById('v') as HTMLVideoElement;
    const c = document.getElementById('c') as HTMLCanvasElement;
    const wait = (ev: string) =>
      new Promise((ok, err) => {
        v.addEventListener(ev, ok, { once: true });
        v.addEventListener('error', () => err(new Error(`media error ${v.error?.code} ${v.error?.message}`)), { once: true });
      });
    if (v.readyState < 1) await wait('loadedmetadata');
    c.width = v.videoWidth;
    c.height = v.videoHeight;
    const ctx = c.getContext('2d', { willReadFrequently: true })!;
    const grab = () => {
      ctx.drawImage(v, 0, 0);
      return ctx.getImageData(0, 0, c.width, c.height).data;
    };
    const seek = async (t: number) => {
      v.currentTime = t;
      await wait('seeked');
      return grab();
    };
    await v.play();
    await new Promise((r) => setTimeout(r, 1000));
    const playedTo = v.currentTime;
    v.pause();
    const a = await seek(0.05);
    const e = await seek(v.duration - 0.05);
    let diff = 0;
    let mean = 0;
    for (let i = 0; i < a.length; i += 4) {
      diff += Math.abs(a[i] - e[i]) + Math.abs(a[i + 1] - e[i + 1]) + Math.abs(a[i + 2] - e[i + 2]);
      mean += a[i] + a[i + 1] + a[i + 2];
    }
    const pixels = a.length / 4;
    return { duration: v.duration, width: v.videoWidth, height: v.videoHeight, playedTo, error: v.error?.code ?? null, diff: diff / pixels / 3, mean: mean / pixels / 3 };
  });
  expect(result.error).toBeNull();
  expect(result.duration).toBeCloseTo(4, 1);
  expect([result.width, result.height]).toEqual([480, 270]);
  expect(result.playedTo).toBeGreaterThan(0.3);
  expect(result.mean).toBeGreaterThan(5);
  expect(result.diff).toBeGreaterThan(3);
});
