import { test, expect, Page } from '@playwright/test';
import { join } from 'node:path';
import { grantCredits, openHydrated, signInWithEmailedCode } from './helpers';

const fixture = join(__dirname, '..', 'fixtures', 'start-frame.png');

async function startGeneration(user: Page, prompt: string) {
  await expect(user.getByTestId('price')).toContainText('Costs 8 credits');
  await user.getByLabel('Prompt').fill(prompt);
  await user.getByRole('button', { name: 'Generate video' }).click();
  await user.waitForURL(/\/generations\/[0-9a-f-]+$/);
  await user.waitForSelector('body[data-hydrated]');
}

test('a user generates a video from an uploaded image, watches progress, plays it and is charged', async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = await (await browser.newContext()).newPage();
  const user = await (await browser.newContext()).newPage();
  await signInWithEmailedCode(user, 'studio-user@example.com');
  await signInWithEmailedCode(admin, 'ada@example.com');
  await grantCredits(admin, 'studio-user@example.com', '100', 'Studio test');

  await openHydrated(user, '/studio');
  // Nothing to start from yet: Generate waits for an image.
  await expect(user.getByRole('button', { name: 'Generate video' })).toBeDisabled();
  await user.getByLabel('Upload an image').setInputFiles(fixture);
  const choice = user.getByTestId('start-choice');
  await expect(choice).toHaveCount(1);
  // The picker says which frame it chooses, and so does each option.
  const startPicker = user.getByRole('radiogroup', { name: 'Start frame: choose an image' });
  await expect(startPicker).toBeVisible();
  await expect(startPicker.getByRole('radio')).toHaveAttribute('aria-label', /^Start frame: /);
  await expect(choice).toHaveAttribute('aria-checked', 'true');
  // The local model's default: 4 s at 360p = 8 credits; the price follows the settings.
  await user.getByLabel('Resolution').selectOption('480p');
  await expect(user.getByTestId('price')).toContainText('Costs 12 credits');
  await user.getByLabel('Resolution').selectOption('360p');
  await expect(user.getByTestId('price')).toContainText('Costs 8 credits');
  await user.getByLabel('Prompt').fill('waves roll towards the shore');
  await user.getByRole('button', { name: 'Generate video' }).click();
  await user.waitForURL(/\/generations\/[0-9a-f-]+$/);

  // The bar moves: some value strictly between 0 and 100 is seen before the end.
  const bar = user.getByRole('progressbar', { name: 'Progress' });
  const seen = new Set<number>();
  await expect
    .poll(async () => {
      const now = await bar.getAttribute('aria-valuenow').catch(() => null);
      if (now !== null) seen.add(Number(now));
      return [...seen].some((v) => v > 0 && v < 100);
    }, { timeout: 30_000, intervals: [100] })
    .toBe(true);
  await expect(user.getByTestId('job-status')).toHaveText('Done', { timeout: 60_000 });

  const video = user.getByTestId('result-video');
  await expect(video).toBeVisible();
  const played = await video.evaluate(async (v: HTMLVideoElement) => {
    v.muted = true;
    if (v.readyState < 1) await new Promise((ok) => v.addEventListener('loadedmetadata', ok, { once: true }));
    await v.play();
    await new Promise((r) => setTimeout(r, 800));
    return { duration: v.duration, time: v.currentTime, error: v.error?.code ?? null };
  });
  expect(played.error).toBeNull();
  expect(played.duration).toBeCloseTo(4, 1);
  expect(played.time).toBeGreaterThan(0.2);

  // The clip is in the library with how it was made; Remix brings the settings back.
  await user.getByRole('link', { name: 'Open in the library' }).click();
  await expect(user.getByTestId('item-video')).toBeVisible();
  await expect(user.getByText('Local video (offline)')).toBeVisible();
  await expect(user.getByRole('link', { name: 'start-frame' })).toBeVisible();
  await user.getByRole('link', { name: 'Remix' }).click();
  await user.waitForURL(/\/studio\?remix=/);
  await expect(user.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(user.getByLabel('Prompt')).toHaveValue('waves roll towards the shore');
  await expect(user.getByLabel('Resolution')).toHaveValue('360p');
  await expect(user.locator('[data-testid="start-choice"][aria-checked="true"]')).toHaveCount(1);

  await openHydrated(user, '/credits');
  await expect(user.getByTestId('balance')).toHaveText('92');
  await expect(user.getByTestId('credit-row').first()).toContainText('-8');
});

test('a generation the provider refuses shows the error and the refund', async ({ browser }) => {
  test.setTimeout(120_000);
  const user = await (await browser.newContext()).newPage();
  await signInWithEmailedCode(user, 'studio-user@example.com');
  await openHydrated(user, '/studio');
  // The image uploaded in the first test is offered again.
  await user.getByTestId('start-choice').first().click();
  await startGeneration(user, 'a forbidden scene');
  await expect(user.getByTestId('job-status')).toHaveText('Failed', { timeout: 60_000 });
  await expect(user.getByTestId('job-error')).toContainText("safety filter");
  await expect(user.getByTestId('job-refund')).toHaveText('8 credits were refunded.');
  await openHydrated(user, '/credits');
  await expect(user.getByTestId('balance')).toHaveText('92');
  await expect(user.getByTestId('credit-row').first()).toContainText('+8');
});
