import { chromium, type Browser, type Page } from 'playwright-core';
import {
  startProvodUnderTest,
  type ProvodUnderTest,
} from '../../../server/test/e2e/provod-under-test.ts';
import { ensureWebBuild } from '../../scripts/build-if-stale.ts';

/** An error answer a test provokes on purpose: Chromium logs it as a console error. */
export interface ExpectedNetworkError {
  readonly status: number;
  readonly path: string;
}

export interface CabinetBrowser {
  readonly provod: ProvodUnderTest;
  readonly browser: Browser;
  readonly page: Page;
  /** The cabinet's origin, e.g. http://127.0.0.1:40123. */
  readonly base: string;
  /** Console errors and uncaught exceptions, less the expected network errors. */
  readonly consoleErrors: string[];
  close(): Promise<void>;
}

/**
 * The cabinet in a real headless Chromium against a real `provod start` (own temp data
 * dir, free ports on 127.0.0.1) serving the production build of apps/web, made first when
 * its sources changed (apps/web/scripts/build-if-stale.ts).
 */
export async function openCabinet(
  name: string,
  options: {
    viewport: { width: number; height: number };
    expectedNetworkErrors?: readonly ExpectedNetworkError[];
  },
): Promise<CabinetBrowser> {
  await ensureWebBuild();
  const provod = await startProvodUnderTest(name);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ locale: 'ru-RU', viewport: options.viewport });
  const page = await context.newPage();
  // Below the test's own timeout, so a missing element fails with Playwright's message.
  page.setDefaultTimeout(10_000);
  const consoleErrors: string[] = [];
  const expected = options.expectedNetworkErrors ?? [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const path = new URL(message.location().url || 'about:blank').pathname;
    const provoked = expected.some(
      (error) => message.text().includes(`status of ${error.status}`) && path === error.path,
    );
    if (!provoked) consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  return {
    provod,
    browser,
    page,
    base: provod.server.httpUrl,
    consoleErrors,
    async close() {
      await browser.close();
      await provod.stop();
    },
  };
}
