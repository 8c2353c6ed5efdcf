import type { z } from 'zod';

/** JSON columns are text on both databases; parsing validates against the contract. */
export function readJson<T extends z.ZodType>(schema: T, text: string): z.infer<T> {
  return schema.parse(JSON.parse(text));
}

export function writeJson(value: unknown): string {
  return JSON.stringify(value);
}
