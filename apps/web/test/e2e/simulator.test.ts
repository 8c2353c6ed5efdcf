import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvodUnderTest } from '../../../server/test/e2e/provod-under-test.ts';
import { openCabinet } from './cabinet-browser.ts';
import { ru } from '../../src/i18n/ru.ts';

/**
 * The routing-scheme simulator in a real Chromium against a real `provod start` (own temp
 * data dir, free ports on 127.0.0.1): a scheme made through the API — a schedule open
 * round the clock, then extension 201, then a hang-up when 201 does not answer — walked
 * from the page for the scripts of docs/routing-schemes.md "Simulator".
 */
describe('routing-scheme simulator in Chromium', () => {
  let provod: ProvodUnderTest;
  let browser: Browser;
  let page: Page;
  let base: string;
  let consoleErrors: string[] = [];

  beforeAll(async () => {
    ({ provod, browser, page, base, consoleErrors } = await openCabinet('simulator', {
      viewport: { width: 1400, height: 900 },
    }));

    // Signed up through the API in the browser's own context, so the page has the cookie.
    const signup = await page.request.post(`${base}/api/v1/auth/signup`, {
      data: {
        companyName: 'ООО Маршрут',
        slug: 'marshrut',
        email: 'owner@marshrut.test',
        name: 'Олег',
        password: 'correct horse battery',
      },
    });
    if (signup.status() !== 201) throw new Error(`signup: ${await signup.text()}`);
    const { csrfToken } = (await signup.json()) as { csrfToken: string };
    const headers = { 'x-csrf-token': csrfToken };
    const extension = await page.request.post(`${base}/api/v1/extensions`, {
      headers,
      data: { number: '201', displayName: 'Приёмная' },
    });
    if (extension.status() !== 201) throw new Error(`extension: ${await extension.text()}`);
    const scheme = await page.request.post(`${base}/api/v1/routing-schemes`, {
      headers,
      data: {
        name: 'Приём',
        graph: {
          entry: 'hours',
          nodes: [
            {
              id: 'hours',
              kind: 'schedule',
              weekly: [
                {
                  days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
                  from: '00:00',
                  to: '24:00',
                },
              ],
              open: 'reception',
              closed: 'bye',
            },
            { id: 'reception', kind: 'extension', number: '201', noAnswer: 'bye' },
            { id: 'bye', kind: 'hangup' },
          ],
        },
      },
    });
    if (scheme.status() !== 201) throw new Error(`scheme: ${await scheme.text()}`);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await provod?.stop();
  });

  const fieldError = (field: string) =>
    page.getByTestId(`field-${field}`).locator('.ant-form-item-explain-error');
  const path = () => page.getByTestId('simulation-path');

  /** By the exact title: "отвечает" is also part of "не отвечает". */
  async function chooseAnswer(label: string): Promise<void> {
    await page.getByTestId('ring-answer-0').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .and(page.getByTitle(label, { exact: true }))
      .click();
  }

  it('lists the scheme under its menu entry and opens the simulator', async () => {
    await page.goto(`${base}/`);
    await page.getByTestId('menu-routingSchemes').click();
    await page.waitForURL((url) => url.pathname === '/routing-schemes');
    const row = page.getByTestId('routing-schemes').locator('tr', { hasText: 'Приём' });
    // Version 1 of a graph of three nodes.
    await expect.poll(() => row.locator('td').nth(1).textContent()).toBe('1');
    expect(await row.locator('td').nth(2).textContent()).toBe('3');
    await page.getByTestId('simulate-Приём').click();
    await expect.poll(() => page.getByTestId('field-at').textContent()).toContain('Europe/Moscow');
  });

  it('refuses a caller that is not a number, on its field', async () => {
    await page.getByTestId('caller').fill('аноним');
    await page.getByTestId('dialled').fill('+74950000000');
    await page.getByTestId('simulate').click();
    await expect.poll(() => fieldError('caller').textContent()).toContain('expected a number');
    expect(await page.getByTestId('form-error').textContent()).toContain(ru.form.fixErrors);
    expect(await path().count()).toBe(0);
  });

  it('shows the path to 201 when 201 answers', async () => {
    await page.getByTestId('caller').fill('+74951234567');
    await page.getByTestId('add-ring').click();
    await page.getByTestId('ring-number-0').fill('201');
    await chooseAnswer(ru.simulator.answer.answer);
    await page.getByTestId('simulate').click();
    await expect
      .poll(() => page.getByTestId('simulation-result').textContent())
      .toContain('answered by 201');
    expect(await page.getByTestId('step-hours').textContent()).toContain('open');
    expect(await page.getByTestId('step-reception').textContent()).toContain('extension');
    expect(await page.getByTestId('step-bye').count()).toBe(0);
  });

  it('goes on to the hang-up when 201 does not answer', async () => {
    await chooseAnswer(ru.simulator.answer.no_answer);
    await page.getByTestId('simulate').click();
    await expect.poll(() => page.getByTestId('step-bye').count()).toBe(1);
    expect(await page.getByTestId('simulation-result').textContent()).toContain('hung up');
    expect(await path().locator('.ant-timeline-item').count()).toBe(3);
  });

  it('logged no errors to the console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
