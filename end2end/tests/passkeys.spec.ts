import { test, expect } from '@playwright/test';
import { openHydrated, signInWithEmailedCode } from './helpers';

test('add a passkey, sign out, and sign back in with it', async ({ page }) => {
  // Chromium's virtual authenticator stands in for Touch ID / Windows Hello.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });

  await signInWithEmailedCode(page, 'passkey-person@example.com');
  await openHydrated(page, '/profile');
  await expect(page.getByText('No passkeys yet.')).toBeVisible();
  await page.getByLabel('Name for a new passkey').fill('Test laptop');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  const row = page.getByTestId('passkey-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Test laptop');

  await row.getByRole('button', { name: 'Rename' }).click();
  await page.getByLabel('New name').fill('Work laptop');
  await row.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('passkey-row')).toContainText('Work laptop');

  await page.getByTestId('account-button').click();
  await page.locator('#account-panel').getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();

  await openHydrated(page, '/sign-in');
  // Either the browser's passkey autofill already signed in, or the button does.
  if (page.url().endsWith('/sign-in')) {
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click({ timeout: 5_000 }).catch(() => {});
  }
  await expect(page.getByTestId('account-name')).toHaveText('passkey-person@example.com');
  // The profile shows when the passkey was last used.
  await openHydrated(page, '/profile');
  await expect(page.getByTestId('passkey-row')).toContainText('last used');
});
