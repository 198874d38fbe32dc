import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

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
/**
 * The cookies of each account signed in so far in this worker. Every spec runs in the one
 * worker against one server, and the server limits how many codes an address may ask for:
 * an account signed in once is signed in again with its cookies, as a returning person would be.
 */
const signedIn = new Map<string, Awaited<ReturnType<BrowserContext['storageState']>>['cookies']>();

export async function signInWithEmailedCode(page: Page, email: string) {
  const cookies = signedIn.get(email);
  if (cookies) {
    await page.context().addCookies(cookies);
    await openHydrated(page, '/');
    // Signed out since (or the session ended): sign in with a code after all.
    if ((await page.getByTestId('account-name').textContent().catch(() => null)) === email) return;
    await page.context().clearCookies();
    signedIn.delete(email);
  }
  await signInWithCode(page, email);
  signedIn.set(email, (await page.context().storageState()).cookies);
}

/** The whole sign-in with an emailed code, as a person does it. */
export async function signInWithCode(page: Page, email: string) {
  await openHydrated(page, '/sign-in');
  await page.getByLabel('Email').fill(email);
  const send = page.getByRole('button', { name: 'Email me a code' });
  await send.click();
  const sent = page.getByText(`We sent a code to ${email}`);
  const limited = page.getByText(/Too many attempts/);
  await expect(sent.or(limited)).toBeVisible();
  // Asked for a code less than a minute ago: wait out the countdown and ask again, like a person would.
  for (let attempt = 0; attempt < 3 && (await limited.isVisible()); attempt++) {
    // The wait is the server's rule, not slowness: the test gets that time on top.
    test.info().setTimeout(test.info().timeout + 70_000);
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

/** Pages that show one of each thing: an uploaded image, a clip made from it and its generation. */
export interface Samples {
  image: string;
  video: string;
  generation: string;
  /** Ada's signed-in cookies, for new contexts (a new sign-in would wait for the code's resend limit). */
  storage: Awaited<ReturnType<BrowserContext['storageState']>>;
}

/**
 * As ada (the first account, so the admin), makes one of each thing a page can show: uploads
 * an image, gives herself credits and makes a 2-second clip from it with the offline model.
 * Answers the addresses of the image's and the clip's library pages and of the generation.
 */
export async function makeSamples(page: Page): Promise<Samples> {
  await signInWithEmailedCode(page, 'ada@example.com');
  await openHydrated(page, '/admin/users');
  await page.getByLabel('Search by email or name').fill('ada@example.com');
  const row = page.getByTestId('user-row').filter({ hasText: 'ada@example.com' });
  await expect(row).toHaveCount(1);
  await row.getByLabel('Credits (+ grant, − deduct)').fill('20');
  await row.getByLabel('Reason').fill('Samples');
  await row.getByRole('button', { name: 'Apply' }).click();
  await expect(row.getByLabel('Reason')).toHaveValue('');

  await openHydrated(page, '/library');
  await page.getByLabel('Upload files').setInputFiles(join(__dirname, '..', 'fixtures', 'start-frame.png'));
  await expect(page.getByTestId('transfer-state').first()).toHaveText('Uploaded');
  const image = await page.getByTestId('item-card').filter({ hasText: 'start-frame' }).first().getByRole('link').getAttribute('href');

  await openHydrated(page, '/studio');
  await page.getByTestId('start-choice').first().click();
  await page.getByLabel('Duration').selectOption('2');
  await expect(page.getByTestId('price')).toContainText('Costs 4 credits');
  await page.getByLabel('Prompt').fill('a slow pan over the harbour');
  await page.getByRole('button', { name: 'Generate video' }).click();
  await page.waitForURL(/\/generations\/[0-9a-f-]+$/);
  const generation = new URL(page.url()).pathname;
  await expect(page.getByTestId('job-status')).toHaveText('Done', { timeout: 60_000 });
  const video = await page.getByRole('link', { name: 'Open in the library' }).getAttribute('href');
  return { image: image!, video: video!, generation, storage: await page.context().storageState() };
}

/** Every route the app declares (`app/src/lib.rs`), so a check of "every page" cannot miss a new one. */
export function declaredRoutes(): string[] {
  const source = readFileSync(join(__dirname, '..', '..', 'app', 'src', 'lib.rs'), 'utf8');
  return [...source.matchAll(/path!\("([^"]+)"\)/g)].map((m) => m[1]);
}

/** A real address for a declared route, with the samples standing in for ids. */
export function addressOf(route: string, samples: Samples): string {
  const ids: Record<string, string> = {
    '/generations/:id': samples.generation,
    '/library/items/:id': samples.video,
  };
  if (!route.includes(':')) return route;
  const address = ids[route];
  if (!address) throw new Error(`no sample page for ${route}: add one to addressOf in helpers.ts`);
  return address;
}
