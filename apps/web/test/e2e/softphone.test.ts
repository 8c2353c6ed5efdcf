import type { Registration, User } from '@provod/contracts';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type ConsoleMessage,
  type Page,
} from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startProvodUnderTest,
  type ProvodUnderTest,
} from '../../../server/test/e2e/provod-under-test.ts';
import { ensureWebBuild } from '../../scripts/build-if-stale.ts';
import { en } from '../../src/i18n/en.ts';

/**
 * Two people of one company, each with their own extension, call each other from the
 * cabinet's softphone in two real Chromium pages (separate contexts: separate sessions)
 * against a real `provod start`. Provod bridges the calls (B2BUA, SDP passed through), so
 * the two browsers negotiate WebRTC between themselves on loopback; Chromium's fake
 * microphone makes the audio whose packets the test counts.
 */

interface Person {
  name: string;
  email: string;
  extension: string;
  page: Page;
  errors: string[];
}

const password = 'correct horse battery';

describe('browser softphone in Chromium', () => {
  let provod: ProvodUnderTest;
  let browser: Browser;
  let base: string;
  let ownerHeaders: Record<string, string>;
  const contexts: BrowserContext[] = [];
  const people: Person[] = [];

  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: {
        ...ownerHeaders,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  async function openCabinet(name: string, email: string, extension: string): Promise<Person> {
    const context = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1280, height: 800 },
    });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const errors: string[] = [];
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error' && !isFirstSessionCheck(message)) {
        errors.push(`${message.text()} (${message.location().url})`);
      }
    });
    page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
    await page.goto(`${base}/login`);
    await page.getByTestId('email').fill(email);
    await page.getByTestId('password').fill(password);
    await page.getByTestId('submit').click();
    await page.waitForURL((url) => url.pathname === '/dashboard');
    return { name, email, extension, page, errors };
  }

  function person(index: number): Person {
    const found = people[index];
    if (!found) throw new Error(`person ${index} not set up`);
    return found;
  }

  const line = (who: Person) => who.page.getByTestId('softphone-line');
  const callState = (who: Person) =>
    who.page.getByTestId('softphone-call-state').getAttribute('data-state', { timeout: 1000 });

  async function openPanel(who: Person): Promise<void> {
    if (await who.page.getByTestId('softphone-panel').isVisible()) return;
    await who.page.getByTestId('softphone-toggle').click();
    await who.page.getByTestId('softphone-panel').waitFor();
  }

  async function dial(from: Person, to: Person): Promise<void> {
    await openPanel(from);
    await from.page.getByTestId('softphone-number').fill(to.extension);
    await from.page.getByTestId('softphone-call').click();
  }

  /** Packets counted by the page's own call panel (RTCPeerConnection.getStats, inbound-rtp). */
  async function packetsReceived(who: Person): Promise<number> {
    const value = await who.page
      .getByTestId('softphone-audio-stats')
      .getAttribute('data-packets-received', { timeout: 1000 })
      .catch(() => null);
    return value === null ? 0 : Number(value);
  }

  beforeAll(async () => {
    await ensureWebBuild();
    provod = await startProvodUnderTest('softphone');
    base = provod.server.httpUrl.replace('localhost', '127.0.0.1');
    // A company of its own, signed up through the API; its owner sets up the two people.
    const signup = await fetch(`${base}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        companyName: 'Softphone Test',
        slug: 'softphone',
        email: 'owner@softphone.test',
        name: 'Owner',
        password,
      }),
    });
    if (signup.status !== 201) throw new Error(`signup: ${signup.status} ${await signup.text()}`);
    const cookie = /provod_session=[^;]+/.exec(signup.headers.get('set-cookie') ?? '')?.[0];
    const { csrfToken } = (await signup.json()) as { csrfToken: string };
    if (cookie === undefined) throw new Error('signup set no session cookie');
    ownerHeaders = { cookie, 'x-csrf-token': csrfToken };

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
      ],
    });
    for (const [name, extension] of [
      ['Alice Agent', '301'],
      ['Bob Agent', '302'],
    ] as const) {
      const email = `${extension}@softphone.test`;
      const user = await api<User>('POST', '/users', { email, name, password, role: 'agent' });
      await api('POST', '/extensions', { number: extension, displayName: name, userId: user.id });
      people.push(await openCabinet(name, email, extension));
    }
  }, 240_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await provod?.stop();
  });

  it('registers both softphones over WebSocket when the cabinet opens', async () => {
    for (const who of people) {
      // The line's state shows on the docked button of every page, and in the panel.
      await expect
        .poll(() => who.page.getByTestId('softphone-toggle').getAttribute('data-line'), {
          timeout: 15_000,
        })
        .toBe('registered');
      await openPanel(who);
      await expect
        .poll(() => line(who).getAttribute('data-state'), { timeout: 15_000 })
        .toBe('registered');
      expect(await line(who).textContent()).toContain(
        `${en.softphone.line.registered} · ${who.extension}`,
      );
    }
    const registrations = await api<Registration[]>('GET', '/registrations');
    expect(
      registrations
        .map((r) => [r.extension, r.transport])
        .sort(([a], [b]) => (a ?? '').localeCompare(b ?? '')),
    ).toEqual([
      ['301', 'ws'],
      ['302', 'ws'],
    ]);
  });

  it('calls B from A: B sees who calls, answers, audio flows both ways, A hangs up', async () => {
    const alice = person(0);
    const bob = person(1);
    await dial(alice, bob);

    // B's panel opens by itself with the caller's name and extension.
    const incoming = bob.page.getByTestId('softphone-incoming');
    await incoming.waitFor();
    expect(await bob.page.getByTestId('softphone-caller-name').textContent()).toContain(
      'Alice Agent',
    );
    expect(await bob.page.getByTestId('softphone-caller-number').textContent()).toContain('301');
    await bob.page.getByTestId('softphone-answer').click();

    for (const who of [alice, bob]) {
      await expect.poll(() => callState(who).catch(() => null)).toBe('in_call');
    }
    // The dashboard's live panel (the WebSocket feed) shows the call, answered by B.
    const liveRow = bob.page
      .getByTestId('live-calls')
      .locator('tbody tr', { hasText: alice.extension });
    await expect.poll(() => liveRow.textContent()).toContain(bob.extension);
    // Real RTP from the other browser's fake microphone, counted by each page's call panel.
    for (const who of [bob, alice]) {
      await expect.poll(() => packetsReceived(who), { timeout: 15_000 }).toBeGreaterThan(0);
    }
    // The remote stream is what B's <audio> element plays. (Source text: the root tsconfig
    // that checks this file has no DOM types; the page runs it.)
    const audioPlays: unknown = await bob.page.evaluate(
      `[...document.querySelector('[data-testid="softphone-audio"]').srcObject.getAudioTracks()]
        .map((track) => track.readyState)`,
    );
    expect(audioPlays).toEqual(['live']);

    // DTMF: RFC 4733 events through the sender's RTCDTMFSender, shown as sent.
    await alice.page.getByTestId('softphone-key-5').click();
    await expect
      .poll(() => alice.page.getByTestId('softphone-sent-digits').textContent())
      .toContain('5');

    // Hold and resume: re-INVITEs (a=sendonly, then sendrecv) relayed by Provod to B.
    await alice.page.getByTestId('softphone-hold').click();
    await alice.page.getByTestId('softphone-on-hold').waitFor();
    await bob.page.getByTestId('softphone-held-by-peer').waitFor();
    await alice.page.getByTestId('softphone-hold').click();
    await bob.page.getByTestId('softphone-held-by-peer').waitFor({ state: 'detached' });
    await alice.page.getByTestId('softphone-mute').click();
    await alice.page.getByTestId('softphone-muted').waitFor();
    await alice.page.getByTestId('softphone-mute').click();
    await alice.page.getByTestId('softphone-muted').waitFor({ state: 'detached' });

    await alice.page.getByTestId('softphone-hangup').click();
    for (const who of [alice, bob]) {
      await expect
        .poll(() => who.page.getByTestId('softphone-last-outcome').getAttribute('data-outcome'))
        .toBe('completed');
      expect(await who.page.getByTestId('softphone-call-state').count()).toBe(0);
      expect(await who.page.getByTestId('softphone-history-entry').count()).toBe(1);
    }
  });

  it('B rejects a call: A sees busy, B sees it rejected', async () => {
    const alice = person(0);
    const bob = person(1);
    await dial(alice, bob);
    await bob.page.getByTestId('softphone-incoming').waitFor();
    await bob.page.getByTestId('softphone-reject').click();
    await expect
      .poll(() => alice.page.getByTestId('softphone-last-outcome').getAttribute('data-outcome'))
      .toBe('busy');
    expect(await alice.page.getByTestId('softphone-last-outcome').textContent()).toContain(
      en.softphone.outcome.busy,
    );
    await expect
      .poll(() => bob.page.getByTestId('softphone-last-outcome').getAttribute('data-outcome'))
      .toBe('rejected');
  });

  it('refuses a dialled text that is no number, before anything is sent', async () => {
    const alice = person(0);
    await alice.page.getByTestId('softphone-number').fill('hello');
    await alice.page.getByTestId('softphone-call').click();
    await alice.page.getByTestId('softphone-bad-number').waitFor();
    expect(await alice.page.getByTestId('softphone-history-entry').count()).toBe(2);
  });

  it('logged no errors to either console', () => {
    expect(people.flatMap((who) => who.errors)).toEqual([]);
  });
});

/** The login page asks for a session before anyone logged in: 401, on purpose. */
function isFirstSessionCheck(message: ConsoleMessage): boolean {
  return (
    message.text().includes('status of 401') &&
    new URL(message.location().url).pathname === '/api/v1/auth/session'
  );
}
