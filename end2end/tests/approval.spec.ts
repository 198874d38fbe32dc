import { test, expect } from '@playwright/test';
import { openHydrated, signInWithEmailedCode } from './helpers';

// The second install of the run: AUTO_APPROVE=false.
const approvalBase = `http://localhost:${Number(process.env.E2E_PORT ?? 3100) + 1}`;
test.use({ baseURL: approvalBase });

test('a new account waits for approval until an admin approves it; disabling signs it out', async ({ browser }) => {
  const boss = await (await browser.newContext({ baseURL: approvalBase })).newPage();
  const newbie = await (await browser.newContext({ baseURL: approvalBase })).newPage();

  // The first account of a zero-config install is its admin.
  await signInWithEmailedCode(boss, 'boss@example.com');
  await signInWithEmailedCode(newbie, 'newbie@example.com');

  await openHydrated(newbie, '/chat');
  await expect(newbie.getByTestId('awaiting-approval')).toContainText('Waiting for approval');
  const chatCall = await newbie.request.post('/api/auth/me');
  expect((await chatCall.json()).role).toBe('new_user');

  await openHydrated(boss, '/admin/users');
  const row = boss.getByTestId('user-row').filter({ hasText: 'newbie@example.com' });
  await expect(row).toContainText('Waiting for approval');
  await row.getByRole('button', { name: 'Approve' }).click();
  await expect(row).toContainText('User');
  await expect(row.getByRole('button', { name: 'Approve' })).toHaveCount(0);

  await openHydrated(newbie, '/chat');
  await expect(newbie.getByRole('heading', { name: 'Chat', exact: true })).toBeVisible();
  await expect(newbie.getByTestId('awaiting-approval')).toHaveCount(0);

  // Approval brought the install's welcome credits (100 locally), once, as their own kind of row.
  await openHydrated(newbie, '/credits');
  await expect(newbie.getByTestId('balance')).toHaveText('100');
  await expect(newbie.getByTestId('credit-row')).toHaveCount(1);
  await expect(newbie.getByTestId('credit-row')).toContainText('Welcome credits');
  await expect(newbie.getByTestId('credit-row')).toContainText('+100');

  await row.getByRole('button', { name: 'Disable' }).click();
  await expect(row).toContainText('disabled');
  await newbie.reload();
  await expect(newbie.getByRole('link', { name: 'Sign in' }).first()).toBeVisible();
  await expect(newbie.getByText('Sign in to continue')).toBeVisible();
});
