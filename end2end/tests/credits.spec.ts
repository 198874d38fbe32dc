import { test, expect } from '@playwright/test';
import { openHydrated, signInWithEmailedCode } from './helpers';

test('an admin grants credits and the user sees the new balance and the history row', async ({ browser }) => {
  test.setTimeout(120_000);
  // auth.spec.ts (run earlier, one worker) made ada@example.com this server's admin.
  const admin = await (await browser.newContext()).newPage();
  const user = await (await browser.newContext()).newPage();
  await signInWithEmailedCode(user, 'credits-user@example.com');
  await openHydrated(user, '/credits');
  await expect(user.getByTestId('balance')).toHaveText('0');

  // A fresh code for the admin: the resend wait is per address and auth.spec asked long ago.
  await signInWithEmailedCode(admin, 'ada@example.com');
  await openHydrated(admin, '/admin/users');
  await admin.getByLabel('Search by email or name').fill('credits-user');
  const row = admin.getByTestId('user-row').filter({ hasText: 'credits-user@example.com' });
  await expect(row).toHaveCount(1);
  await row.getByLabel('Credits (+ grant, − deduct)').fill('250');
  await row.getByLabel('Reason').fill('Welcome bonus');
  await row.getByRole('button', { name: 'Apply' }).click();
  await expect(row.getByTestId('user-credits')).toHaveText('250 credits');

  await user.reload();
  await expect(user.getByTestId('balance')).toHaveText('250');
  const history = user.getByTestId('credit-row');
  await expect(history).toHaveCount(1);
  await expect(history).toContainText('Welcome bonus');
  await expect(history).toContainText('+250');
});
