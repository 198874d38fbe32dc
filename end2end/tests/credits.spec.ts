import { test, expect, type Page } from '@playwright/test';
import { grantCredits, openHydrated, signInWithEmailedCode } from './helpers';

// One admin session for both tests: every emailed code counts against the
// address's hourly limit, and later specs sign the admin in again.
test.describe.configure({ mode: 'serial' });
let admin: Page;
test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  admin = await (await browser.newContext()).newPage();
  // auth.spec.ts (run earlier, one worker) made ada@example.com this server's admin.
  await signInWithEmailedCode(admin, 'ada@example.com');
});

test('an admin grants credits and the user sees the new balance and the history row', async ({ browser }) => {
  test.setTimeout(120_000);
  const user = await (await browser.newContext()).newPage();
  await signInWithEmailedCode(user, 'credits-user@example.com');
  await openHydrated(user, '/credits');
  await expect(user.getByTestId('balance')).toHaveText('0');

  await grantCredits(admin, 'credits-user@example.com', '250', 'Welcome bonus');

  await user.reload();
  await expect(user.getByTestId('balance')).toHaveText('250');
  const history = user.getByTestId('credit-row');
  await expect(history).toHaveCount(1);
  await expect(history).toContainText('Welcome bonus');
  await expect(history).toContainText('+250');
});

test('an admin fixes a formula typo, tests the price, saves it; the ledger reconciles', async () => {
  test.setTimeout(120_000);
  await openHydrated(admin, '/admin/models');
  const model = admin.getByTestId('model-row').filter({ hasText: 'Local video (offline)' });
  await model.getByText('Local video (offline)').click();
  const formula = model.getByLabel('Pricing formula (credits)');
  await expect(formula).toHaveValue("duration * 2 + (resolution == '480p' ? 4 : 0)");

  await formula.fill("duraton * 3 + (resolution == '480p' ? 4 : 0)");
  await model.getByRole('button', { name: 'Save' }).click();
  await expect(model.getByRole('alert')).toContainText('“duraton”, which is not a setting of this model');
  // What the admin typed is kept, so the typo can be fixed in place.
  await expect(formula).toHaveValue("duraton * 3 + (resolution == '480p' ? 4 : 0)");

  await formula.fill("duration * 3 + (resolution == '480p' ? 4 : 0)");
  await model.getByLabel('Duration').selectOption('5');
  await model.getByLabel('Resolution').selectOption('480p');
  await model.getByRole('button', { name: 'Price these settings' }).click();
  await expect(model.getByTestId('test-price')).toHaveText('19 credits');
  await expect(model.getByRole('alert')).toHaveCount(0);
  await model.getByRole('button', { name: 'Save' }).click();
  await expect(model.getByText('Saved.')).toBeVisible();
  await expect(model.getByText('changed from the default')).toBeVisible();

  await admin.reload();
  await admin.waitForSelector('body[data-hydrated]');
  const again = admin.getByTestId('model-row').filter({ hasText: 'Local video (offline)' });
  await again.getByText('Local video (offline)').click();
  await expect(again.getByLabel('Pricing formula (credits)')).toHaveValue("duration * 3 + (resolution == '480p' ? 4 : 0)");
  // Blank restores the catalog's default (later specs price with it).
  await again.getByLabel('Pricing formula (credits)').fill('');
  await again.getByRole('button', { name: 'Save' }).click();
  await expect(again.getByText('Saved.')).toBeVisible();
  await expect(again.getByLabel('Pricing formula (credits)')).toHaveValue("duration * 2 + (resolution == '480p' ? 4 : 0)");

  // The ledger page lists the grant from the first test and the check passes.
  await openHydrated(admin, '/admin/credits');
  await admin.getByLabel('Account email').fill('credits-user');
  await admin.getByRole('button', { name: 'Filter' }).click();
  await expect(admin.getByTestId('admin-ledger')).toContainText('Welcome bonus');
  await expect(admin.getByTestId('credit-summary')).toContainText('250');
  await admin.getByRole('button', { name: 'Run the check' }).click();
  // The "all match" message, in its singular or plural form.
  await expect(admin.getByTestId('reconcile-result')).toHaveText(/^(The one balance matches its ledger|All \d+ balances match their ledgers)\.$/);
});
