import { test, expect, Page } from '@playwright/test';
import { join } from 'node:path';
import { openHydrated, signInWithEmailedCode } from './helpers';

const fixture = join(__dirname, '..', 'fixtures', 'start-frame.png');

async function newCollection(page: Page, project: string, name: string) {
  const entry = page.getByTestId('project-entry').filter({ hasText: project });
  await entry.getByRole('button', { name: '+ New collection' }).click();
  await entry.getByLabel('Collection name').fill(name);
  await entry.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('scope-name')).toHaveText(name);
}

test('a project, an upload with progress, a read-only share and a move between collections', async ({ browser }) => {
  test.setTimeout(120_000);
  const owner = await (await browser.newContext()).newPage();
  const viewer = await (await browser.newContext()).newPage();
  await signInWithEmailedCode(owner, 'lib-owner@example.com');
  await signInWithEmailedCode(viewer, 'lib-viewer@example.com');

  // A project, then a second collection in it.
  await openHydrated(owner, '/library');
  await owner.getByRole('button', { name: 'New project' }).click();
  await owner.getByLabel('Project name').fill('   ');
  await owner.getByRole('button', { name: 'Create' }).click();
  await expect(owner.getByText('Please check the name: it is required.')).toBeVisible();
  await owner.getByLabel('Project name').fill('Spring campaign');
  await owner.getByRole('button', { name: 'Create' }).click();
  await expect(owner.getByTestId('scope-name')).toHaveText('Spring campaign');
  await newCollection(owner, 'Spring campaign', 'Finals');

  // Upload into the first collection, with a progress bar.
  await owner.getByTestId('collection-link').filter({ hasText: 'Collection' }).click();
  await expect(owner.getByTestId('scope-name')).toHaveText('Collection');
  await owner.getByLabel('Upload files').setInputFiles(fixture);
  const row = owner.getByTestId('transfer-row');
  await expect(row.getByRole('progressbar', { name: 'Upload progress' })).toBeVisible();
  await expect(row.getByTestId('transfer-state')).toHaveText('Uploaded');
  await expect(row.getByRole('progressbar', { name: 'Upload progress' })).toHaveAttribute('aria-valuenow', '100');
  const card = owner.getByTestId('item-card').filter({ hasText: 'start-frame' });
  await expect(card).toHaveCount(1);

  // Share the collection with the viewer.
  await owner.getByRole('button', { name: 'Share', exact: true }).click();
  const dialog = owner.getByRole('dialog', { name: 'Share collection' });
  await dialog.getByLabel('Email address').fill('lib-viewer@example.com');
  await dialog.getByLabel('Access').selectOption('viewer');
  await dialog.getByRole('button', { name: 'Share', exact: true }).click();
  await expect(dialog.getByTestId('share-row')).toContainText('lib-viewer@example.com');
  await dialog.getByRole('button', { name: 'Cancel' }).first().click();

  // The viewer sees it, read-only.
  await openHydrated(viewer, '/library');
  const shared = viewer.getByRole('list', { name: 'Shared with me' });
  await expect(shared).toContainText('Spring campaign');
  await expect(shared).toContainText('lib-owner@example.com');
  await expect(shared).not.toContainText('Finals');
  await shared.getByTestId('collection-link').click();
  await expect(viewer.getByTestId('access-badge')).toHaveText('View only');
  await expect(viewer.getByLabel('Upload files')).toHaveCount(0);
  const seen = viewer.getByTestId('item-card').filter({ hasText: 'start-frame' });
  await expect(seen).toHaveCount(1);
  await seen.getByRole('checkbox', { name: 'Select start-frame' }).check();
  await expect(viewer.getByTestId('selection-count')).toHaveText('1 selected');
  await expect(viewer.getByRole('button', { name: 'Copy to…' })).toBeVisible();
  await expect(viewer.getByRole('button', { name: 'Delete' })).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: 'Move to…' })).toHaveCount(0);
  await seen.getByRole('link').click();
  await expect(viewer.getByTestId('item-image')).toBeVisible();
  await expect(viewer.getByRole('button', { name: 'Delete' })).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: 'Rename' })).toHaveCount(0);
  await expect(viewer.getByTestId('item-download')).toHaveAttribute('href', /start-frame|name=/);

  // The owner moves it to the other collection.
  await card.getByRole('checkbox', { name: 'Select start-frame' }).check();
  await owner.getByRole('button', { name: 'Move to…' }).click();
  const move = owner.getByRole('dialog', { name: 'Move to another collection' });
  await move.getByLabel('Destination').selectOption({ label: 'Spring campaign / Finals' });
  await move.getByRole('button', { name: 'Move', exact: true }).click();
  await expect(owner.getByText('Moved 1 item.')).toBeVisible();
  await expect(owner.getByTestId('item-card')).toHaveCount(0);
  await owner.getByTestId('collection-link').filter({ hasText: 'Finals' }).click();
  await expect(owner.getByTestId('item-card').filter({ hasText: 'start-frame' })).toHaveCount(1);

  // Finals is not shared: the viewer no longer sees the item.
  await openHydrated(viewer, '/library');
  await viewer.getByRole('list', { name: 'Shared with me' }).getByTestId('collection-link').click();
  await expect(viewer.getByText('Nothing here yet')).toBeVisible();
});
