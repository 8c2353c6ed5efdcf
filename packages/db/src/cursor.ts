import { ProvodError } from '@provod/contracts';

/**
 * Keyset-pagination cursors: the sort key of the last row of a page, as base64url JSON,
 * opaque to clients. A cursor that does not decode is the client's error (400), not ours.
 */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, length: number): string[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new ProvodError('invalid_cursor', 'cursor is not one this API returned');
  }
  if (!Array.isArray(key) || key.length !== length || !key.every((k) => typeof k === 'string')) {
    throw new ProvodError('invalid_cursor', 'cursor is not one this API returned');
  }
  return key;
}
