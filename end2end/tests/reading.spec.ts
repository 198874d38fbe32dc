import { test, expect, type Browser, type Page } from '@playwright/test';
import { makeSamples, openHydrated, type Samples } from './helpers';

// What a person reads: settings by name, times in their own zone and language,
// every fact about a media file, and video cards that look and act like video.
test.describe.configure({ mode: 'serial' });

let samples: Samples;

/** A signed-in page of ada's in a browser set to Shanghai time, optionally in Chinese. */
async function adaIn(browser: Browser, language: 'en' | 'zh-CN'): Promise<Page> {
  const context = await browser.newContext({ timezoneId: 'Asia/Shanghai', locale: language, storageState: samples.storage });
  await context.addCookies([{ name: 'lf-lang', value: language, url: test.info().project.use.baseURL! }]);
  return context.newPage();
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  const page = await (await browser.newContext()).newPage();
  samples = await makeSamples(page);
  await page.context().close();
});

test('a generation shows its settings by name and its times in the reader\'s zone and language', async ({ browser }) => {
  const page = await adaIn(browser, 'en');
  // The server renders UTC (it cannot know the zone); the browser then makes it relative.
  const html = await (await page.request.get(samples.generation)).text();
  expect(html).toMatch(/<time[^>]*datetime="[^"]+"[^>]*>\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC<\/time>/);
  expect(html).not.toContain('{&quot;');

  await openHydrated(page, samples.generation);
  const settings = page.getByTestId('settings');
  await expect(settings.locator('dt')).toHaveText(['Duration', 'Aspect ratio', 'Resolution']);
  await expect(settings.locator('dd')).toHaveText(['2 s', '16:9', '360p']);
  await expect(page.getByText('{"')).toHaveCount(0);

  const created = page.getByTestId('time').first();
  await expect(created).toHaveText(/^(just now|\d+ minutes? ago)$/);
  // The exact moment, in the reader's zone, on hover and on keyboard focus.
  const title = await created.getAttribute('title');
  expect(title).toContain('GMT+8');
  const utc = new Date((await created.getAttribute('datetime'))!);
  const shanghaiHour = (utc.getUTCHours() + 8) % 24;
  const hour12 = shanghaiHour % 12 === 0 ? 12 : shanghaiHour % 12;
  expect(title).toContain(`${hour12}:${String(utc.getUTCMinutes()).padStart(2, '0')}`);
  await expect(created).toHaveAttribute('tabindex', '0');

  // The list names the settings too.
  await openHydrated(page, '/generations');
  await expect(page.getByTestId('job-row').first().getByTestId('settings')).toHaveText('Duration: 2 s · Aspect ratio: 16:9 · Resolution: 360p');
  await page.context().close();
});

test('in Chinese the settings and times are Chinese', async ({ browser }) => {
  const page = await adaIn(browser, 'zh-CN');
  await openHydrated(page, samples.generation);
  const settings = page.getByTestId('settings');
  await expect(settings.locator('dt')).toHaveText(['时长', '宽高比', '分辨率']);
  await expect(settings.locator('dd').first()).toHaveText('2 秒');
  await expect(page.getByTestId('time').first()).toHaveText(/^(刚刚|\d+ 分钟前)$/);
  await page.context().close();
});

test('the clip\'s item page tells its size, length, dimensions and codec, and so does the image\'s', async ({ browser }) => {
  const page = await adaIn(browser, 'en');
  await openHydrated(page, samples.video);
  const fact = (label: string) => page.locator('dl > div').filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd');
  await expect(fact('Size')).toHaveText(/^\d+(\.\d)? (B|KB|MB)$/);
  await expect(fact('Length')).toHaveText('0:02');
  await expect(fact('Dimensions')).toHaveText('640 × 360');
  await expect(fact('Codec')).toHaveText('AV1');
  await expect(page.getByTestId('settings').locator('dd').first()).toHaveText('2 s');

  await openHydrated(page, samples.image);
  await expect(fact('Dimensions')).toHaveText(/^\d+ × \d+$/);
  await expect(fact('Codec')).toHaveText('PNG');
  await page.context().close();
});

test('a video card shows a play badge and its length, and plays a muted preview on hover and focus', async ({ browser }) => {
  const page = await adaIn(browser, 'en');
  await openHydrated(page, '/library');
  const clip = page.getByTestId('item-card').filter({ has: page.locator(`a[href="${samples.video}"]`) });
  await expect(clip.getByTestId('play-badge')).toBeVisible();
  await expect(clip.getByTestId('card-duration')).toHaveText('0:02');
  const image = page.getByTestId('item-card').filter({ has: page.locator(`a[href="${samples.image}"]`) });
  await expect(image.getByTestId('play-badge')).toHaveCount(0);

  const playing = () =>
    clip.getByTestId('card-preview').evaluate((v: HTMLVideoElement) => v.muted && !v.paused && v.currentTime > 0).catch(() => false);
  await expect(clip.getByTestId('card-preview')).toHaveCount(0);
  await clip.hover();
  await expect.poll(playing, { timeout: 10_000 }).toBe(true);
  await page.mouse.move(0, 0);
  await expect(clip.getByTestId('card-preview')).toHaveCount(0);

  // From the keyboard: focusing the card's link plays it too.
  await clip.getByRole('link').focus();
  await expect.poll(playing, { timeout: 10_000 }).toBe(true);
  await page.context().close();
});
