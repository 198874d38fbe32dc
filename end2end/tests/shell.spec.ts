import { test, expect } from '@playwright/test';
import { collectErrors, openHydrated } from './helpers';

const HEADLINE = 'Turn an idea into images, clips and a finished film.';

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the home page is rendered on the server', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(HEADLINE);
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Library' })).toBeVisible();
    await expect(page.getByTestId('idea')).not.toBeEmpty();
  });

  test('navigation links work as plain links', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Credits' }).click();
    await expect(page).toHaveURL(/\/credits$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Credits');
  });
});

test('the page hydrates and client-side interaction works', async ({ page }) => {
  const errors = collectErrors(page);
  await openHydrated(page, '/');
  const idea = page.getByTestId('idea');
  const first = await idea.textContent();
  await page.getByRole('button', { name: 'Another idea' }).click();
  await expect(idea).not.toHaveText(first ?? '');
  // Client-side navigation keeps the app alive.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Library' }).click();
  await expect(page).toHaveURL(/\/library$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Library');
  expect(errors).toEqual([]);
});

test('switching to 简体中文 translates the page and survives a reload', async ({ page }) => {
  await openHydrated(page, '/');
  await page.getByLabel('Language').selectOption({ label: '简体中文' });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('把一个想法变成图片、短片和一部完整的影片。');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('把一个想法变成图片、短片和一部完整的影片。');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '素材库' })).toBeVisible();
});

test('the theme switch applies at once and is remembered', async ({ page }) => {
  await openHydrated(page, '/');
  const html = page.locator('html');
  await page.getByRole('button', { name: 'Theme: follow the system' }).click();
  await expect(html).toHaveClass('light');
  await page.getByRole('button', { name: 'Theme: light' }).click();
  await expect(html).toHaveClass('dark');
  await page.reload();
  await expect(html).toHaveClass('dark');
  await expect(page.getByRole('button', { name: 'Theme: dark' })).toBeVisible();
});

test('no console errors on any page of the shell', async ({ page }) => {
  const errors = collectErrors(page);
  for (const path of ['/', '/chat', '/storyboard', '/library', '/credits', '/profile', '/outbox']) {
    await openHydrated(page, path);
  }
  expect(errors).toEqual([]);
});

test.describe('at 375 px wide', () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test('the layout holds and the menu opens', async ({ page }) => {
    for (const path of ['/', '/chat', '/library', '/outbox', '/no-such-page']) {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
    }
    await openHydrated(page, '/');
    const menu = page.getByRole('button', { name: 'Menu' });
    await expect(menu).toBeVisible();
    await menu.click();
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    await page.locator('#mobile-nav').getByRole('link', { name: 'Storyboard' }).click();
    await expect(page).toHaveURL(/\/storyboard$/);
    await expect(page.locator('#mobile-nav')).toHaveCount(0);
  });
});

test('a local install shows its mail outbox to anyone on this machine', async ({ page }) => {
  await openHydrated(page, '/outbox');
  await expect(page.getByRole('heading', { name: 'Mail outbox' })).toBeVisible();
  await expect(page.getByText('This install keeps its mail here instead of sending it')).toBeVisible();
});
