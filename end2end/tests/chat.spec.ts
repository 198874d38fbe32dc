import { test, expect } from '@playwright/test';
import { grantCredits, openHydrated, signInWithEmailedCode } from './helpers';

test('a new account chats with the offline agent, watches the reply stream and generates its suggestions', async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = await (await browser.newContext()).newPage();
  const user = await (await browser.newContext()).newPage();
  // The first account of the install is its admin: Ada signs in first.
  await signInWithEmailedCode(admin, 'ada@example.com');
  await signInWithEmailedCode(user, 'chat-user@example.com');
  await grantCredits(admin, 'chat-user@example.com', '20', 'Chat test');

  await openHydrated(user, '/chat');
  // An empty message is refused by name, and nothing is created.
  await user.getByRole('button', { name: 'Send' }).click();
  await expect(user.getByRole('alert')).toContainText('message');
  await expect(user.getByText('No chats yet.')).toBeVisible();

  await user.getByLabel('Message').fill('a lighthouse in a storm');
  await user.getByRole('button', { name: 'Send' }).click();
  await user.waitForURL(/\/chat\?c=[0-9a-f-]+$/);
  await user.waitForSelector('body[data-hydrated]');

  // The text grows while the reply is written.
  const reply = user.getByTestId('reply').first();
  const lengths = new Set<number>();
  await expect
    .poll(async () => {
      if ((await reply.getAttribute('aria-busy')) === 'true') {
        lengths.add(((await reply.getByTestId('reply-text').textContent()) ?? '').length);
      }
      return (await reply.getAttribute('aria-busy')) === 'false' && lengths.size > 1;
    }, { timeout: 30_000, intervals: [50] })
    .toBe(true);
  await expect(reply.getByTestId('reply-text')).toContainText('ideas for “a lighthouse in a storm”');
  // The think block is collapsed; opened, it shows how the agent read the person.
  const think = reply.getByTestId('think');
  await expect(think).not.toHaveAttribute('open', '');
  await think.getByText('How the agent read you').click();
  await expect(think).toContainText('a lighthouse in a storm');
  // The title came from the first message.
  await expect(user.getByTestId('chat-heading')).toHaveText('a lighthouse in a storm');
  await expect(user.getByTestId('chat-list')).toContainText('a lighthouse in a storm');

  // Cards with their price; two generate side by side.
  const cards = user.getByTestId('suggestion');
  await expect(cards.nth(2)).toBeVisible();
  await expect(cards.first().getByTestId('suggestion-price')).toHaveText('1 credit');
  await cards.nth(0).getByRole('button', { name: 'Generate' }).click();
  await cards.nth(1).getByRole('button', { name: 'Generate' }).click();
  await expect(cards.nth(0).getByTestId('suggestion-image')).toBeVisible({ timeout: 60_000 });
  await expect(cards.nth(1).getByTestId('suggestion-image')).toBeVisible({ timeout: 60_000 });

  // A reload mid-reply shows what was written and finishes it.
  await user.getByLabel('Message').fill('now at dawn');
  await user.getByRole('button', { name: 'Send' }).click();
  const second = user.getByTestId('reply').nth(1);
  await expect(second).toHaveAttribute('aria-busy', 'true');
  await user.reload();
  await user.waitForSelector('body[data-hydrated]');
  const resumed = user.getByTestId('reply').nth(1);
  await expect(resumed).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
  await expect(resumed.getByTestId('reply-text')).toContainText('ideas for “now at dawn”');
  // The images made earlier are still on their cards.
  await expect(user.getByTestId('suggestion-image')).toHaveCount(2);

  // Regenerate makes a sibling; ‹ › switches between them.
  await resumed.getByRole('button', { name: 'Regenerate' }).click();
  await expect(user.getByTestId('reply').nth(1).getByTestId('branch-position')).toHaveText('2/2');
  await expect(user.getByTestId('reply').nth(1)).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
  await user.getByTestId('reply').nth(1).getByRole('button', { name: 'Previous version' }).click();
  await expect(user.getByTestId('reply').nth(1).getByTestId('branch-position')).toHaveText('1/2');

});

// Known bug (issue #17, open): pressing Fork panics in the page ("Tried to access a reactive
// value that has already been disposed") and the load-failure notice appears. The server side
// of forking is covered by chat_flow.rs; this runs again once the page is fixed.
test.fixme('forking from a reply opens a new chat with that path, linked back', async ({ page }) => {
  await signInWithEmailedCode(page, 'chat-user@example.com');
  await openHydrated(page, '/chat');
  await page.getByLabel('Message').fill('a harbour at dawn');
  await page.getByRole('button', { name: 'Send' }).click();
  const reply = page.getByTestId('reply').first();
  await expect(reply).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
  await reply.getByRole('button', { name: 'Fork' }).click();
  await expect(page.getByRole('link', { name: /Forked from another chat/ })).toBeVisible();
  await expect(page.getByTestId('reply')).toHaveCount(1);
  await expect(page.getByTestId('user-message')).toHaveCount(1);
});
