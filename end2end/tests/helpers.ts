import { expect, type Page } from '@playwright/test';

/** Opens a page and waits until the wasm app has hydrated it. */
export async function openHydrated(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

/** Collects console errors and uncaught exceptions for the life of the page. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

/** Signs up or in with the code the app put in its outbox (zero-config install). */
export async function signInWithEmailedCode(page: Page, email: string) {
  await openHydrated(page, '/sign-in');
  await page.getByLabel('Email').fill(email);
  const send = page.getByRole('button', { name: 'Email me a code' });
  await send.click();
  const sent = page.getByText(`We sent a code to ${email}`);
  const limited = page.getByText(/Too many attempts/);
  await expect(sent.or(limited)).toBeVisible();
  // Asked for a code less than a minute ago: wait out the countdown and ask again, like a person would.
  for (let attempt = 0; attempt < 3 && (await limited.isVisible()); attempt++) {
    await expect(send).toBeEnabled({ timeout: 65_000 });
    await send.click();
    await expect(sent.or(limited)).toBeVisible();
  }
  await expect(sent).toBeVisible();
  const outbox = await page.context().newPage();
  await outbox.goto(new URL('/outbox', page.url()).toString());
  // The newest sign-in mail to this address (other mail, such as share notices, may be newer).
  const body = outbox.getByRole('listitem').filter({ hasText: email }).filter({ hasText: 'valid for 10 minutes' }).first().getByTestId('mail-body');
  await expect(body).toContainText('valid for 10 minutes');
  const code = (await body.textContent())!.match(/code is (\d{6})/)![1];
  await outbox.close();
  await page.getByLabel('Six-digit code').fill(code);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('account-name')).toHaveText(email);
}

/** As an admin on /admin/users, grants `amount` credits to `email` with `reason`. */
export async function grantCredits(admin: Page, email: string, amount: string, reason: string) {
  await openHydrated(admin, '/admin/users');
  await admin.getByLabel('Search by email or name').fill(email);
  const row = admin.getByTestId('user-row').filter({ hasText: email });
  await expect(row).toHaveCount(1);
  await row.getByLabel('Credits (+ grant, − deduct)').fill(amount);
  await row.getByLabel('Reason').fill(reason);
  await row.getByRole('button', { name: 'Apply' }).click();
  await expect(row.getByTestId('user-credits')).toHaveText(`${amount} credits`);
}
