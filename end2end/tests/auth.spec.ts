import { test, expect, type Page } from '@playwright/test';
import { openHydrated, signInWithCode, signInWithEmailedCode } from './helpers';

// One server for the whole run: the first account created becomes its admin.
test.describe.configure({ mode: 'serial' });

test('a person signs up with the emailed code, is the first admin, and signs out', async ({ page }) => {
  // Specs before this one may have asked for Ada's code: a new one waits out the resend limit (60 s).
  test.setTimeout(120_000);
  // With a code every time (not the cookies of an earlier spec): this is the sign-up.
  await signInWithCode(page, 'ada@example.com');
  await expect(page.getByRole('link', { name: 'Admin' })).toBeVisible();
  const admin = await page.goto('/admin');
  expect(admin?.status()).toBe(200);
  await expect(page.getByRole('heading', { name: 'Admin', level: 1 })).toBeVisible();

  await openHydrated(page, '/');
  // The account menu shows the whole address and holds "Sign out".
  await page.getByTestId('account-button').click();
  await expect(page.getByTestId('account-email')).toHaveText('ada@example.com');
  await page.locator('#account-panel').getByRole('button', { name: 'Sign out' }).click();
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
