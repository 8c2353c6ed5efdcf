import { describe, expect, it } from 'vitest';
import { readBitrixInstallation } from './bitrix-install.ts';

describe("reading a Bitrix24 portal's installation report", () => {
  const expected = {
    accessToken: 'access',
    refreshToken: 'refresh',
    expiresInSeconds: 3600,
    memberId: 'member',
    domain: 'company.bitrix24.ru',
  };

  it('reads the install page form (AUTH_ID, REFRESH_ID, …; DOMAIN in the query)', () => {
    const form = new URLSearchParams({
      AUTH_ID: 'access',
      AUTH_EXPIRES: '3600',
      REFRESH_ID: 'refresh',
      member_id: 'member',
      PLACEMENT: 'DEFAULT',
    });
    expect(readBitrixInstallation(form, { DOMAIN: 'Company.Bitrix24.ru', PROTOCOL: '1' })).toEqual(
      expected,
    );
  });

  it('reads the ONAPPINSTALL event (auth[…] fields)', () => {
    const form = new URLSearchParams({
      event: 'ONAPPINSTALL',
      'auth[access_token]': 'access',
      'auth[expires_in]': '3600',
      'auth[refresh_token]': 'refresh',
      'auth[member_id]': 'member',
      'auth[domain]': 'company.bitrix24.ru',
    });
    expect(readBitrixInstallation(form, {})).toEqual(expected);
  });

  it('names the missing field', () => {
    const form = new URLSearchParams({ AUTH_ID: 'access', member_id: 'member' });
    expect(() => readBitrixInstallation(form, { DOMAIN: 'x.bitrix24.ru' })).toThrow(
      /lacks REFRESH_ID/,
    );
  });
});
