import { test, expect, type Page } from '@playwright/test';
import { openHydrated } from './helpers';

// One server for the whole run: the first account created becomes its admin.
test.describe.configure({ mode: 'serial' });

/** Signs up or in with the code the app put in its outbox. */
async function signInWithEmailedCode(page: Page, email: string) {
  await openHydrated(page, '/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Email me a code' }).click();
  await expect(page.getByText(`We sent a code to ${email}`)).toBeVisible();
  await expect(page.getByRole('button', { name: /Send a new code in \d+ s/ })).toBeDisabled();

  // Zero-config install: the sign-in page links to the outbox, where the mail is.
  const outboxLink = page.getByRole('link', { name: 'Read your code in the outbox' });
  await expect(outboxLink).toBeVisible();
  const outbox = await page.context().newPage();
  await outbox.goto('/outbox');
  const mail = outbox.getByRole('listitem').filter({ hasText: email }).first();
  const body = mail.getByTestId('mail-body');
  await expect(body).toContainText('valid for 10 minutes');
  const code = (await body.textContent())!.match(/code is (\d{6})/)![1];
  await outbox.close();

  await page.getByLabel('Six-digit code').fill(code);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('account-name')).toHaveText(email);
}

test('a person signs up with the emailed code, is the first admin, and signs out', async ({ page }) => {
  await signInWithEmailedCode(page, 'ada@example.com');
  await expect(page.getByRole('link', { name: 'Admin' })).toBeVisible();
  const admin = await page.goto('/admin');
  expect(admin?.status()).toBe(200);
  await expect(page.getByRole('heading', { name: 'Admin', level: 1 })).toBeVisible();

  await openHydrated(page, '/');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
});

test('a wrong code is explained and what was typed stays', async ({ page }) => {
  await openHydrated(page, '/sign-in');
  await page.getByLabel('Email').fill('typo@example.com');
  await page.getByRole('button', { name: 'Email me a code' }).click();
  await page.getByLabel('Six-digit code').fill('12345');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('Please check the code: a code has exactly six digits.');
  await expect(page.getByLabel('Six-digit code')).toHaveValue('12345');
  await expect(page.getByLabel('Email')).toHaveValue('typo@example.com');
});

test('a user who is not an admin is refused /admin', async ({ page }) => {
  await signInWithEmailedCode(page, 'grace@example.com');
  await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  const response = await page.goto('/admin');
  expect(response?.status()).toBe(403);
  await expect(page.getByText('Admins only')).toBeVisible();
});
