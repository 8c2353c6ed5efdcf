import { ProvodError, type Page } from '@provod/contracts';

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

/**
 * One page of rows, newest first by id (UUIDv7 ids sort by creation time). `fetch` gets
 * the id to stay below (from the cursor) and how many rows to take: one more than the
 * page, which tells whether another page follows.
 */
export async function pageNewestFirst<Row extends { id: string }, Item>(
  page: { limit: number; cursor?: string | undefined },
  fetch: (olderThanId: string | undefined, take: number) => Promise<Row[]>,
  toItem: (row: Row) => Item,
): Promise<Page<Item>> {
  const olderThanId = page.cursor === undefined ? undefined : decodeCursor(page.cursor, 1)[0];
  const rows = await fetch(olderThanId, page.limit + 1);
  const last = rows[page.limit - 1];
  return {
    items: rows.slice(0, page.limit).map(toItem),
    nextCursor: rows.length > page.limit && last ? encodeCursor([last.id]) : null,
  };
}
