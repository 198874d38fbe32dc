import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { addressOf, declaredRoutes, makeSamples, openHydrated, type Samples } from './helpers';

// axe-core on every page, in English and in Chinese, signed in as the admin (so
// the admin pages count) with an image, a clip and a generation to show; the
// sign-in page signed out. No serious or critical violation may remain.
test.describe.configure({ mode: 'serial' });

let samples: Samples;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  const page = await (await browser.newContext()).newPage();
  samples = await makeSamples(page);
  await page.context().close();
});

/** The serious and critical violations on the page as it stands, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(0, 2).join(' ')}`));
}

for (const language of ['en', 'zh-CN']) {
  test(`every page passes axe in ${language}`, async ({ browser }) => {
    test.setTimeout(180_000);
    const context = await browser.newContext({ storageState: samples.storage });
    await context.addCookies([{ name: 'lf-lang', value: language, url: test.info().project.use.baseURL! }]);
    const page = await context.newPage();
    const found: string[] = [];
    for (const route of [...declaredRoutes(), '/no-such-page']) {
      const address = addressOf(route, samples);
      await openHydrated(page, address);
      await expect(page.locator('html')).toHaveAttribute('lang', language);
      for (const line of await seriousViolations(page)) found.push(`${address}: ${line}`);
    }
    // Open states count too: the account menu and, on the library, the upload list.
    await openHydrated(page, '/');
    await page.getByTestId('account-button').click();
    for (const line of await seriousViolations(page)) found.push(`account menu: ${line}`);

    const signedOut = await (await browser.newContext()).newPage();
    await signedOut.context().addCookies([{ name: 'lf-lang', value: language, url: test.info().project.use.baseURL! }]);
    for (const address of ['/', '/sign-in', '/library']) {
      await openHydrated(signedOut, address);
      for (const line of await seriousViolations(signedOut)) found.push(`${address} (signed out): ${line}`);
    }
    expect(found, found.join('\n')).toEqual([]);
    await context.close();
  });
}
