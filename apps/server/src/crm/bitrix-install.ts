import { ProvodError } from '@provod/contracts';

/**
 * A Bitrix24 application's installation as the portal reports it to the app's install
 * path: a POST form with `AUTH_ID`, `REFRESH_ID`, `AUTH_EXPIRES`, `member_id` and the query
 * `DOMAIN`, `PROTOCOL` (1 = https) — or, for apps without a page, the ONAPPINSTALL event
 * with `auth[access_token]`, `auth[refresh_token]`, `auth[expires_in]`, `auth[domain]`,
 * `auth[member_id]` (b24restdocs: settings/app-installation, events/on-app-install).
 */
export interface BitrixInstallation {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresInSeconds: number;
  readonly memberId: string;
  /** The portal's host as it names itself, e.g. company.bitrix24.ru. */
  readonly domain: string;
}

export function readBitrixInstallation(
  form: URLSearchParams,
  query: Readonly<Record<string, string | undefined>>,
): BitrixInstallation {
  const field = (...names: string[]): string => {
    for (const name of names) {
      const value = form.get(name) ?? query[name];
      if (value !== undefined && value !== null && value.trim() !== '') return value.trim();
    }
    throw new ProvodError('validation_failed', `the installation lacks ${names[0] ?? 'a field'}`, [
      { path: names[0] ?? '', message: 'required' },
    ]);
  };
  // The lifetime may be left out: the access token lives an hour (settings/oauth).
  const expires = Number(form.get('AUTH_EXPIRES') ?? form.get('auth[expires_in]') ?? '');
  return {
    accessToken: field('AUTH_ID', 'auth[access_token]'),
    refreshToken: field('REFRESH_ID', 'auth[refresh_token]'),
    expiresInSeconds: Number.isFinite(expires) && expires > 0 ? expires : 3600,
    memberId: field('member_id', 'auth[member_id]'),
    domain: field('DOMAIN', 'auth[domain]').toLowerCase(),
  };
}

/** The page Bitrix24 shows in the app's frame: it must call BX24.installFinish(). */
export const installFinishedPage = `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>Provod</title>
<script src="https://api.bitrix24.com/api/v1/"></script>
<script>BX24.init(function () { BX24.installFinish(); });</script>
</head><body>Provod подключён: звонки будут появляться в Битрикс24.</body></html>
`;
