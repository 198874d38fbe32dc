import { test, expect, type Page } from '@playwright/test';
import { addressOf, declaredRoutes, makeSamples, openHydrated, type Samples } from './helpers';

// Phones first: no page scrolls sideways at 375 px, the account is shown as a
// compact menu, the library puts its grid before its tree; the library's
// filters fold as a whole at 1280 px.
test.describe.configure({ mode: 'serial' });

let samples: Samples;

async function sidewaysOverflow(page: Page): Promise<{ scrollWidth: number; widest: string }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    // The element that sticks out furthest, to say what to fix.
    let widest = '';
    let right = width;
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const r = el.getBoundingClientRect();
      if (r.right > right + 0.5) {
        right = r.right;
        widest = `${el.tagName.toLowerCase()}.${(el.getAttribute('class') ?? '').split(' ').slice(0, 4).join('.')} "${(el.textContent ?? '').slice(0, 40)}"`;
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, widest };
  });
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  const page = await (await browser.newContext()).newPage();
  samples = await makeSamples(page);
  await page.context().close();
});

test.describe('at 375 × 812', () => {
  test.use({ viewport: { width: 375, height: 812 } });

  for (const language of ['en', 'zh-CN']) {
    test(`no page scrolls sideways (${language}, signed in as the admin)`, async ({ page }) => {
      test.setTimeout(120_000);
      await page.context().addCookies([...samples.storage.cookies, { name: 'lf-lang', value: language, url: test.info().project.use.baseURL! }]);
      const routes = declaredRoutes();
      expect(routes.length).toBeGreaterThan(10);
      for (const route of [...routes, '/no-such-page']) {
        const address = addressOf(route, samples);
        await openHydrated(page, address);
        // Live content (times, previews) settles after hydration.
        await page.waitForTimeout(300);
        const { scrollWidth, widest } = await sidewaysOverflow(page);
        expect(scrollWidth, `${address} is ${scrollWidth} px wide; widest: ${widest}`).toBeLessThanOrEqual(375);
      }
    });
  }

  test('the account is a compact menu with the whole address and "Sign out" inside', async ({ page }) => {
    await page.context().addCookies(samples.storage.cookies);
    await openHydrated(page, '/');
    const button = page.getByTestId('account-button');
    await expect(button).toBeVisible();
    await expect(button).toContainText('A');
    await expect(page.getByTestId('account-name')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
    await button.click();
    await expect(button).toHaveAttribute('aria-expanded', 'true');
    const email = page.getByTestId('account-email');
    await expect(email).toHaveText('ada@example.com');
    // The whole address is visible, not cut.
    expect(await email.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
    await expect(page.locator('#account-panel').getByRole('button', { name: 'Sign out' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.locator('#account-panel')).toHaveCount(0);
  });

  test('the library shows its grid first and keeps the tree and storage in a drawer', async ({ page }) => {
    await page.context().addCookies(samples.storage.cookies);
    await openHydrated(page, '/');
    await openHydrated(page, '/library');
    const firstCard = page.getByTestId('item-card').first();
    await expect(firstCard).toBeInViewport();
    await expect(page.getByRole('list', { name: 'My projects' })).toBeHidden();
    await expect(page.getByTestId('storage-meter')).toBeHidden();
    const open = page.getByRole('button', { name: 'Projects and storage' });
    await open.click();
    await expect(open).toHaveAttribute('aria-expanded', 'true');
    await expect(page.getByRole('list', { name: 'My projects' })).toBeVisible();
    await expect(page.getByTestId('storage-meter')).toBeVisible();
    await page.getByRole('button', { name: 'Close' }).click();
    await expect(page.getByRole('list', { name: 'My projects' })).toBeHidden();
  });
});

test.describe('at 1280 × 800', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('the library\'s filters fold together: "To" is never alone on a line', async ({ page }) => {
    await page.context().addCookies(samples.storage.cookies);
    await openHydrated(page, '/');
    await openHydrated(page, '/library');
    // The tree is beside the grid at this width, without a drawer.
    await expect(page.getByRole('list', { name: 'My projects' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Projects and storage' })).toBeHidden();
    const from = (await page.getByLabel('From').boundingBox())!;
    const to = (await page.getByLabel('To', { exact: true }).boundingBox())!;
    const kind = (await page.getByLabel('Type').boundingBox())!;
    expect(Math.abs(to.y - from.y)).toBeLessThan(2);
    expect(Math.abs(to.y - kind.y)).toBeLessThan(2);
  });

  test('the account menu shows the whole address on a desktop too', async ({ page }) => {
    await page.context().addCookies(samples.storage.cookies);
    await openHydrated(page, '/');
    await page.getByTestId('account-button').click();
    const email = page.getByTestId('account-email');
    await expect(email).toHaveText('ada@example.com');
    expect(await email.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
  });
});
