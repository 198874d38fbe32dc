import { test, expect } from '@playwright/test';
import { openHydrated, signInWithEmailedCode } from './helpers';

// Admin › Models: grouped by what they make, filtered by provider and state, and
// each row says its state and price formula without being opened.
test('models are grouped by kind, filter by provider and state, and show state and formula', async ({ page }) => {
  test.setTimeout(120_000);
  await signInWithEmailedCode(page, 'ada@example.com');
  await openHydrated(page, '/admin/models');
  await expect(page.getByRole('heading', { level: 2 })).toContainText(['Providers', 'Video', 'Image', 'Image editing', 'Chat']);
  await expect(page.getByText('image_edit')).toHaveCount(0);

  const video = page.getByRole('region', { name: 'Video' });
  const local = video.getByTestId('model-row').filter({ hasText: 'Local video (offline)' });
  await expect(local.getByTestId('model-state')).toHaveText('on');
  await expect(local.getByTestId('model-formula')).toContainText("duration * 2 + (resolution == '480p' ? 4 : 0)");
  const veo = video.getByTestId('model-row').filter({ hasText: 'Veo 3.1 First-Last' });
  await expect(veo.getByTestId('model-state')).toHaveText('needs FAL_KEY');

  // By provider: only the offline models, each under its own kind.
  await page.getByRole('combobox', { name: 'Provider', exact: true }).selectOption({ label: 'Local' });
  const shown = page.getByTestId('model-row').filter({ visible: true });
  await expect(shown).toHaveCount(4);
  for (const row of await shown.all()) await expect(row).toHaveAttribute('data-provider', 'local');
  await expect(page.getByRole('region', { name: 'Image editing' }).getByTestId('model-row').filter({ visible: true })).toHaveText(/Local edit \(offline\)/);

  // By state: the models waiting for a key, from every provider.
  await page.getByRole('combobox', { name: 'Provider', exact: true }).selectOption({ label: 'All' });
  await page.getByRole('combobox', { name: 'State', exact: true }).selectOption({ label: 'Needs a key' });
  await expect(shown.first()).toBeVisible();
  for (const state of await shown.getByTestId('model-state').all()) await expect(state).toHaveAttribute('data-state', 'needs_key');
  await expect(page.getByRole('region', { name: 'Video' }).getByTestId('model-row').filter({ visible: true }).filter({ hasText: 'Local video' })).toHaveCount(0);

  // Nothing matches: a line says so.
  await page.getByRole('combobox', { name: 'Provider', exact: true }).selectOption({ label: 'Local' });
  await expect(shown).toHaveCount(0);
  await expect(page.getByTestId('models-none')).toBeVisible();

  // In Chinese the headings are Chinese (with the remote models shown again).
  await page.getByRole('combobox', { name: 'Provider', exact: true }).selectOption({ label: 'All' });
  await page.getByLabel('Language').selectOption({ label: '简体中文' });
  await expect(page.getByRole('heading', { level: 2, name: '图片编辑' })).toBeAttached();
});
