import { test, expect, type Page } from '@playwright/test';
import { collectErrors, openHydrated } from './helpers';

// The release build is split by route (`cargo leptos build --split`): the home page
// loads the main wasm only, and each other page fetches its own chunk when first shown.

/** Records the wasm files the page fetches from now on (their file names). */
function wasmRequests(page: Page): string[] {
  const names: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith('.wasm')) names.push(path.split('/').pop()!);
  });
  return names;
}

const isMain = (name: string) => name.startsWith('framewright.') || name.startsWith('framewright_');
// Chunks of the split build; the main file is `framewright.<hash>.wasm`.
const CHUNK = /\/pkg\/(?!framewright[._]).+\.wasm$/;

test('the home page loads the shell only, and the library its own chunk when first visited', async ({ page }) => {
  const errors = collectErrors(page);
  const wasm = wasmRequests(page);
  await openHydrated(page, '/');
  expect(wasm.filter(isMain)).toHaveLength(1);
  expect(wasm.filter((name) => !isMain(name)), 'no route chunk on the home page').toEqual([]);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Library' }).click();
  await expect(page).toHaveURL(/\/library$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Library');
  const chunks = wasm.filter((name) => !isMain(name));
  expect(chunks.length, 'the library came in chunks of its own').toBeGreaterThan(0);
  // The page works: the app is still alive and navigates on.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Credits' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Credits');
  expect(errors).toEqual([]);
});

test('a page opened directly gets its chunk with the page and hydrates', async ({ page }) => {
  const wasm = wasmRequests(page);
  await openHydrated(page, '/credits');
  expect(wasm.filter((name) => !isMain(name)).length).toBeGreaterThan(0);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Library' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Library');
});

for (const [language, label, nav, library, body, reload] of [
  ['en', 'English', 'Main', 'Library', 'could not load', 'Reload'],
  ['zh-CN', '简体中文', '主导航', '素材库', '未能加载', '重新加载'],
] as const) {
  // Known failure (issue #16, open): the notice appears in both languages, but after Reload it
  // is still shown. Runs again once that is fixed.
  test.fixme(`a chunk that fails to load says so and offers a reload (${language})`, async ({ page }) => {
    await openHydrated(page, '/');
    if (language !== 'en') {
      await page.getByLabel('Language').selectOption({ label });
      await page.reload();
      await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    }
    // The connection drops for every chunk.
    await page.route(CHUNK, (route) => route.abort('internetdisconnected'));
    await page.getByRole('navigation', { name: nav }).getByRole('link', { name: library }).click();
    const notice = page.getByRole('alert').filter({ hasText: body });
    await expect(notice).toBeVisible();
    // Back online, the reload link brings a working page.
    await page.unroute(CHUNK);
    await notice.getByRole('link', { name: reload }).click();
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await expect(page.getByRole('alert').filter({ hasText: body })).toBeHidden();
  });
}
