import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalogue, errorCodes } from './errors.ts';

describe('error catalogue', () => {
  const docs = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
  const documented = new Map(
    [...docs.matchAll(/^\| `([a-z_]+)` +\| (\d{3}) +\|/gm)].map((m) => [m[1], Number(m[2])]),
  );

  it('documents every code with its status in docs/errors.md', () => {
    for (const code of errorCodes) {
      expect(documented.get(code), `docs/errors.md lacks ${code}`).toBe(
        errorCatalogue[code].status,
      );
    }
  });

  it('documents no code that does not exist', () => {
    expect([...documented.keys()].sort()).toEqual([...errorCodes].sort());
  });
});
