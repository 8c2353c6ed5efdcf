import type { CallRecordInput } from '@provod/contracts';
import { callRepository, systemClock, TenantScope } from '@provod/db';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvodUnderTest } from '../../../server/test/e2e/provod-under-test.ts';
import { openCabinet, type ExpectedNetworkError } from './cabinet-browser.ts';
import { en } from '../../src/i18n/en.ts';
import { ru } from '../../src/i18n/ru.ts';

/**
 * The cabinet in a real Chromium against a real `provod start` (own temp data dir, free
 * ports on 127.0.0.1) serving the production build of apps/web. The build is made here,
 * once, before the server starts, and only when the sources changed since the last one
 * (apps/web/scripts/build-if-stale.ts).
 */

/** Network errors Chromium logs for answers the test provokes on purpose. */
const expectedNetworkErrors: ExpectedNetworkError[] = [
  // The first load asks for a session before anyone logged in.
  { status: 401, path: '/api/v1/auth/session' },
  // Creating extension 201 a second time.
  { status: 409, path: '/api/v1/extensions' },
];

function callToday(status: CallRecordInput['status'], at: Date): CallRecordInput {
  const startedAt = at.toISOString();
  return {
    direction: 'inbound',
    status,
    caller: '+74951234567',
    callee: '201',
    phoneNumber: null,
    extensionNumber: '201',
    sipCallId: null,
    startedAt,
    answeredAt: status === 'answered' ? startedAt : null,
    endedAt: startedAt,
    durationSeconds: 0,
    talkSeconds: 0,
    hangupCause: null,
    legs: [],
  };
}

describe('web cabinet in Chromium', () => {
  let provod: ProvodUnderTest;
  let browser: Browser;
  let page: Page;
  let base: string;
  let consoleErrors: string[] = [];

  beforeAll(async () => {
    ({ provod, browser, page, base, consoleErrors } = await openCabinet('web', {
      viewport: { width: 1280, height: 800 },
      expectedNetworkErrors,
    }));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await provod?.stop();
  });

  const menuItem = (name: string) => page.getByTestId(`menu-${name}`);
  const waitForPath = (path: string) => page.waitForURL((url) => url.pathname === path);
  const extensionNumberError = () =>
    page.getByTestId('field-number').locator('.ant-form-item-explain-error');

  async function chooseLanguage(label: string): Promise<void> {
    await page.getByTestId('language-switch').click();
    await page.locator('.ant-select-item-option', { hasText: label }).click();
  }

  it('signs up a company and lands on its dashboard', async () => {
    await page.goto(`${base}/`);
    await waitForPath('/login');
    await page.getByTestId('to-signup').click();
    await waitForPath('/signup');
    await page.getByTestId('companyName').fill('ООО Ромашка');
    await page.getByTestId('slug').fill('Romashka!');
    await page.getByTestId('name').fill('Анна Петрова');
    await page.getByTestId('email').fill('anna@romashka.test');
    await page.getByTestId('password').fill('correct horse battery');
    await page.getByTestId('submit').click();
    // The contract refuses the slug before anything is sent.
    await expect.poll(() => page.locator('.ant-form-item-explain-error').count()).toBe(1);
    expect(page.url()).toContain('/signup');

    await page.getByTestId('slug').fill('romashka');
    await page.getByTestId('submit').click();
    await waitForPath('/dashboard');
    await expect.poll(() => page.getByTestId('tenant-name').textContent()).toContain('ООО Ромашка');
    await expect.poll(() => page.getByTestId('calls-answered').textContent()).toContain('0');
    expect(await page.getByTestId('online').textContent()).toContain(ru.dashboard.nobodyOnline);
  });

  it("shows today's calls from the call log", async () => {
    const tenant = await provod.server.instance.services.tenants.findBySlug('romashka');
    if (!tenant) throw new Error('the signed-up tenant is not in the database');
    const calls = callRepository(
      new TenantScope(provod.server.instance.services.deps.database.db, tenant.id),
      systemClock,
    );
    const now = new Date();
    await calls.recordCall(callToday('answered', now));
    await calls.recordCall(callToday('answered', now));
    await calls.recordCall(callToday('missed', now));
    await page.reload();
    await expect.poll(() => page.getByTestId('calls-answered').textContent()).toContain('2');
    expect(await page.getByTestId('calls-missed').textContent()).toContain('1');
  });

  it('creates extension 201 and refuses it twice, on the number field', async () => {
    await menuItem('extensions').click();
    await waitForPath('/extensions');
    await page.getByTestId('create-extension').click();
    await page.getByTestId('number').fill('2');
    await page.getByTestId('save').click();
    // Bad input, refused by the contract in the browser: 2 to 6 digits.
    await expect.poll(() => extensionNumberError().textContent()).toContain('2 to 6 digits');

    await page.getByTestId('number').fill('201');
    await page.getByTestId('displayName').fill('Приёмная');
    await page.getByTestId('save').click();
    const row = page.getByTestId('extensions').locator('tr', { hasText: 'Приёмная' });
    await expect.poll(() => row.textContent()).toContain('201');

    await page.getByTestId('create-extension').click();
    await page.getByTestId('number').fill('201');
    await page.getByTestId('save').click();
    // Refused by the API (409 conflict, details path "number"), shown on that field.
    await expect.poll(() => extensionNumberError().textContent()).toContain('already taken');
    expect(await page.getByTestId('form-error').textContent()).toContain(ru.errors.conflict);
    await page.keyboard.press('Escape');

    await page.getByTestId('credentials-201').click();
    const credentials = page.getByTestId('sip-credentials');
    await expect.poll(() => credentials.textContent()).toContain('romashka.provod.local');
    expect((await page.getByTestId('sip-password').textContent())?.trim().length).toBeGreaterThan(
      7,
    );
    await page.locator('.ant-modal-close').click();
    await page.locator('.ant-modal-wrap').waitFor({ state: 'hidden' });
  });

  it('switches to English, remembers it over a reload, and back to Russian', async () => {
    expect(await menuItem('extensions').textContent()).toContain(ru.menu.extensions);
    await chooseLanguage(en.language.en);
    await expect.poll(() => menuItem('extensions').textContent()).toContain(en.menu.extensions);
    await page.reload();
    await expect.poll(() => menuItem('extensions').textContent()).toContain(en.menu.extensions);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await chooseLanguage(ru.language.ru);
    await expect.poll(() => menuItem('extensions').textContent()).toContain(ru.menu.extensions);
  });

  it('folds the menu away on a phone-width screen', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    await expect
      .poll(() => page.getByTestId('side-menu').getAttribute('class'))
      .toContain('ant-layout-sider-collapsed');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('logs out to /login, and the cabinet stays closed', async () => {
    await page.getByTestId('logout').click();
    await waitForPath('/login');
    await page.goto(`${base}/extensions`);
    await waitForPath('/login');
    expect(new URL(page.url()).searchParams.get('redirect')).toBe('/extensions');
  });

  it('logged no errors to the console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
