import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CallRecordInput, Tenant } from '@provod/contracts';
import { callRepository, recordingRepository, systemClock, TenantScope } from '@provod/db';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvodUnderTest } from '../../../server/test/e2e/provod-under-test.ts';
import { openCabinet, type ExpectedNetworkError } from './cabinet-browser.ts';
import { ru } from '../../src/i18n/ru.ts';

/**
 * The call log, phone numbers and trunks pages in a real Chromium against a real Provod
 * (own temp data dir, free ports on 127.0.0.1) serving the production build. A company is
 * signed up through the API; its calls and a recording are written through the same
 * repositories the PBX uses, as cabinet.test.ts does.
 */

/** Answers the test provokes on purpose; Chromium logs each as a console error. */
const expectedNetworkErrors: ExpectedNetworkError[] = [
  // The same phone number added twice: 409 conflict on `e164`.
  { status: 409, path: '/api/v1/phone-numbers' },
  // A trunk that registers without a password: 400 naming `password`.
  { status: 400, path: '/api/v1/trunks' },
];

/**
 * One second of 8 kHz 16-bit mono silence as a WAV file: the 44-byte RIFF/WAVE header
 * (Microsoft's "Multimedia Programming Interface and Data Specifications 1.0", WAVE
 * fmt chunk, PCM) and the samples.
 */
function silentWav(): Buffer {
  const sampleRate = 8000;
  const data = sampleRate * 2;
  const file = Buffer.alloc(44 + data);
  file.write('RIFF', 0, 'ascii');
  file.writeUInt32LE(36 + data, 4);
  file.write('WAVE', 8, 'ascii');
  file.write('fmt ', 12, 'ascii');
  file.writeUInt32LE(16, 16);
  file.writeUInt16LE(1, 20); // PCM
  file.writeUInt16LE(1, 22); // mono
  file.writeUInt32LE(sampleRate, 24);
  file.writeUInt32LE(sampleRate * 2, 28); // bytes a second
  file.writeUInt16LE(2, 32); // bytes a frame
  file.writeUInt16LE(16, 34); // bits a sample
  file.write('data', 36, 'ascii');
  file.writeUInt32LE(data, 40);
  return file;
}

function call(fields: Partial<CallRecordInput>, minutesAgo: number): CallRecordInput {
  const startedAt = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  return {
    direction: 'inbound',
    status: 'answered',
    caller: '+74951112233',
    callee: '201',
    phoneNumber: null,
    extensionNumber: '201',
    sipCallId: null,
    startedAt,
    answeredAt: startedAt,
    endedAt: startedAt,
    durationSeconds: 60,
    talkSeconds: 55,
    hangupCause: null,
    legs: [],
    ...fields,
  };
}

describe('call log, phone numbers and trunks in Chromium', () => {
  let provod: ProvodUnderTest;
  let browser: Browser;
  let page: Page;
  let base: string;
  let csrfToken: string;
  let tenant: Tenant;
  let inboundId: string;
  let recordingId: string;
  let consoleErrors: string[] = [];

  beforeAll(async () => {
    ({ provod, browser, page, base, consoleErrors } = await openCabinet('call-log', {
      viewport: { width: 1400, height: 900 },
      expectedNetworkErrors,
    }));

    // Signed up through the API in the browser's own context, so the page has the cookie.
    const signup = await page.request.post(`${base}/api/v1/auth/signup`, {
      data: {
        companyName: 'ООО Журнал',
        slug: 'zhurnal',
        email: 'owner@zhurnal.test',
        name: 'Ольга',
        password: 'correct horse battery',
      },
    });
    if (signup.status() !== 201) throw new Error(`signup: ${await signup.text()}`);
    csrfToken = ((await signup.json()) as { csrfToken: string }).csrfToken;
    tenant = (await (await page.request.get(`${base}/api/v1/tenant`)).json()) as Tenant;

    const scope = new TenantScope(provod.server.instance.services.deps.database.db, tenant.id);
    const calls = callRepository(scope, systemClock);
    const inbound = await calls.recordCall(
      call(
        {
          phoneNumber: '+74957654321',
          hangupCause: 'Абонент положил трубку, "сброс"',
          schemePath: [
            {
              nodeId: 'hours',
              kind: 'schedule',
              enteredAt: new Date().toISOString(),
              outcome: 'open',
            },
            { nodeId: 'sales', kind: 'queue', enteredAt: new Date().toISOString() },
          ],
          legs: [
            {
              role: 'caller',
              party: '+74951112233',
              sipCallId: null,
              status: 'answered',
              startedAt: new Date().toISOString(),
              answeredAt: new Date().toISOString(),
              endedAt: null,
              mediaStats: { packets: 3000, lost: 3, jitterMs: 4, mos: 4.3 },
            },
            {
              role: 'callee',
              party: '201',
              sipCallId: null,
              status: 'answered',
              startedAt: new Date().toISOString(),
              answeredAt: new Date().toISOString(),
              endedAt: null,
              mediaStats: null,
            },
          ],
        },
        30,
      ),
    );
    inboundId = inbound.id;
    await calls.recordCall(
      call(
        { direction: 'outbound', caller: '201', callee: '+74959998877', durationSeconds: 5 },
        20,
      ),
    );
    await calls.recordCall(
      call({ direction: 'internal', status: 'missed', caller: '202', answeredAt: null }, 10),
    );
    // The recording's file under the data dir, where the PBX's recorder puts it.
    const storagePath = `recordings/${tenant.id}/${inboundId}.wav`;
    const file = join(provod.dir, 'data', storagePath);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, silentWav());
    const recording = await recordingRepository(scope, systemClock).create(
      { callId: inboundId, storagePath, format: 'wav', durationSeconds: 1, sizeBytes: 16_044 },
      30,
    );
    recordingId = recording.id;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await provod?.stop();
  });

  // The call rows only, not the rows of a leg table inside an expanded call.
  const callRows = () => page.getByTestId('calls').locator('tr.call-row');
  const row = (id: string) => page.locator(`tr[data-row-key="${id}"]`);
  const fieldError = (field: string) =>
    page.getByTestId(`field-${field}`).locator('.ant-form-item-explain-error');

  async function choose(testId: string, label: string): Promise<void> {
    await page.getByTestId(testId).click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: label })
      .click();
  }

  it('lists every call, newest first, on the company clock', async () => {
    await page.goto(`${base}/calls`);
    await expect.poll(() => callRows().count()).toBe(3);
    expect(await callRows().first().textContent()).toContain(ru.calls.direction.internal);
    expect(await page.getByTestId('time-zone').textContent()).toContain(tenant.timeZone);
  });

  it('filters by direction through the URL, which survives a reload', async () => {
    await choose('filter-direction', ru.calls.direction.inbound);
    await page.getByTestId('filter-apply').click();
    await page.waitForURL((url) => url.searchParams.get('direction') === 'inbound');
    await expect.poll(() => callRows().count()).toBe(1);
    await page.reload();
    await expect.poll(() => callRows().count()).toBe(1);
    expect(await row(inboundId).textContent()).toContain('+74957654321');
  });

  it('refuses a bad filter value on its field before asking the API', async () => {
    await page.getByTestId('filter-extension').fill('2');
    await page.getByTestId('filter-apply').click();
    await expect
      .poll(() => page.getByTestId('call-filters').locator('.ant-form-item-explain-error').count())
      .toBe(1);
    expect(new URL(page.url()).searchParams.get('extension')).toBeNull();
    await page.getByTestId('filter-extension').fill('');
  });

  it("expands a row to the call's path through the scheme and its legs", async () => {
    await row(inboundId).locator('.ant-table-row-expand-icon').click();
    const details = page.getByTestId(`call-details-${inboundId}`);
    await expect.poll(() => details.getByTestId('scheme-path').textContent()).toContain('schedule');
    expect(await details.getByTestId('scheme-path').textContent()).toContain('queue');
    await expect
      .poll(() => details.getByTestId('call-legs').locator('tbody tr.ant-table-row').count())
      .toBe(2);
    expect(await details.getByTestId('call-legs').textContent()).toContain('MOS 4.3');
  });

  it('plays the recording in the row, streamed from the URL the API gives', async () => {
    await page.getByTestId(`recordings-${inboundId}`).getByTestId('recording-play').click();
    const audio = page.getByTestId(`recordings-${inboundId}`).getByTestId('recording-audio');
    expect(await audio.getAttribute('src')).toBe(`/api/v1/recordings/${recordingId}/content`);
    // HAVE_METADATA: the browser fetched and understood the file (1 s of audio).
    await expect
      .poll(() => audio.evaluate((element: { readyState: number }) => element.readyState))
      .toBeGreaterThanOrEqual(1);
    expect(await audio.evaluate((element: { duration: number }) => element.duration)).toBeCloseTo(
      1,
      1,
    );
  });

  it('saves the filter under a name and brings it back', async () => {
    await page.getByTestId('saved-filter-save').click();
    await page.getByTestId('saved-filter-name').fill('Входящие');
    await page.getByTestId('saved-filter-confirm').click();
    await page.getByTestId('filter-reset').click();
    await page.waitForURL((url) => url.search === '');
    await expect.poll(() => callRows().count()).toBe(3);
    await choose('saved-filter-select', 'Входящие');
    await page.waitForURL((url) => url.searchParams.get('direction') === 'inbound');
    await expect.poll(() => callRows().count()).toBe(1);
  });

  it('downloads every matching call as CSV: UTF-8 with BOM, escaped fields', async () => {
    await page.getByTestId('filter-reset').click();
    await expect.poll(() => callRows().count()).toBe(3);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-csv').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^calls-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = readFileSync(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    // Two headers hold a comma ("Длительность, с"), so they come quoted.
    expect(lines[0]).toBe(
      `Начало (${tenant.timeZone}),Направление,Результат,Кто звонил,Кому,Номер компании,` +
        'Внутренний номер,"Длительность, с","Разговор, с",Причина завершения,Путь по схеме,ID звонка',
    );
    expect(lines).toHaveLength(5); // header, three calls, and the empty rest after the last CRLF
    const inbound = lines.find((line) => line.endsWith(inboundId));
    expect(inbound).toContain(
      `${ru.calls.direction.inbound},${ru.calls.status.answered},+74951112233,201,+74957654321,201,60,55,` +
        `"Абонент положил трубку, ""сброс""",schedule → queue,`,
    );
  });

  it('adds a phone number, refuses it twice on its field, and attaches a scheme', async () => {
    const scheme = await page.request.post(`${base}/api/v1/routing-schemes`, {
      headers: { 'x-csrf-token': csrfToken },
      data: { name: 'Отбой', graph: { entry: 'bye', nodes: [{ id: 'bye', kind: 'hangup' }] } },
    });
    expect(scheme.status()).toBe(201);

    await page.getByTestId('menu-phoneNumbers').click();
    await page.waitForURL((url) => url.pathname === '/phone-numbers');
    await page.getByTestId('add-phone-number').click();
    await page.getByTestId('e164').fill('8 495 765-43-21');
    await page.getByTestId('save').click();
    // National form: refused by the contract in the browser.
    await expect.poll(() => fieldError('e164').textContent()).toContain('E.164');
    await page.getByTestId('e164').fill('+7 (495) 765-43-21');
    await page.getByTestId('label').fill('Продажи');
    await page.getByTestId('save').click();
    const numbers = page.getByTestId('phone-numbers');
    await expect.poll(() => numbers.textContent()).toContain('+74957654321');

    await page.getByTestId('add-phone-number').click();
    await page.getByTestId('e164').fill('+74957654321');
    await page.getByTestId('save').click();
    // Refused by the API (409 conflict, details path "e164"), shown on that field.
    await expect.poll(() => fieldError('e164').textContent()).toContain('already in use');
    await page.keyboard.press('Escape');

    await page.getByTestId('edit-+74957654321').click();
    await choose('scheme', 'Отбой');
    await page.getByTestId('save').click();
    await expect
      .poll(() => numbers.locator('tr', { hasText: '+74957654321' }).textContent())
      .toContain('Отбой');
  });

  it('adds a trunk, showing the field errors of the contract and of the API', async () => {
    await page.getByTestId('menu-trunks').click();
    await page.waitForURL((url) => url.pathname === '/trunks');
    await page.getByTestId('create-trunk').click();
    await page.getByTestId('trunk-name').fill('Основной');
    await page.getByTestId('trunk-host').fill('sip provider.ru');
    await page.getByTestId('save').click();
    await expect.poll(() => fieldError('host').textContent()).toContain('hostname');

    await page.getByTestId('trunk-host').fill('sip.provider.ru');
    await page.getByTestId('trunk-username').fill('74957654321');
    await page.getByTestId('trunk-register').click();
    await page.getByTestId('save').click();
    // The API's rule (register needs a password), on the password field.
    await expect
      .poll(() => fieldError('password').textContent())
      .toContain('required when register is true');

    await page.getByTestId('trunk-password').fill('pr0vider-secret');
    await page.getByTestId('save').click();
    const trunks = page.getByTestId('trunks');
    await expect.poll(() => trunks.textContent()).toContain('sip.provider.ru:5060 UDP');
    // A registering trunk shows where it stands with the provider (not yet asked, here).
    const states = Object.entries(ru.trunks.registration)
      .filter(([key]) => key !== 'until')
      .map(([, text]) => text);
    expect(states).toContain(await page.getByTestId('registration-Основной').textContent());

    // Write-only: editing shows that a password is set, never the password.
    await page.getByTestId('edit-Основной').click();
    expect(await page.getByTestId('trunk-password').inputValue()).toBe('');
    expect(await page.getByTestId('field-password').textContent()).toContain(
      ru.trunks.passwordKeep,
    );
    // The input's value is checked above; nothing else on the page carries it either.
    expect(await page.content()).not.toContain('pr0vider-secret');
    await page.keyboard.press('Escape');
  });

  it('logged no errors to the console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
