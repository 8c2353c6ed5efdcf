import { createHash, timingSafeEqual } from 'node:crypto';

/** Session ids and API keys are stored as SHA-256: a database leak gives no usable token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export const apiKeyPrefix = 'pvd_';
