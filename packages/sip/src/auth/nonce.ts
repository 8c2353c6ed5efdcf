import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * Stateless server nonces (RFC 7616 §3.3 and §5.4: the nonce's content is up to the
 * server; a time stamp and a keyed hash let it refuse old and forged nonces without
 * remembering what it issued). Layout, base64url without padding (52 characters, all
 * safe inside a quoted-string):
 *
 *    0      1            7                    23                  39
 *   +------+------------+--------------------+-------------------+
 *   | ver  | issued at  | random             | HMAC-SHA256       |
 *   | 0x01 | ms, uint48 | 16 bytes           | first 16 bytes    |
 *   +------+------------+--------------------+-------------------+
 *
 * The HMAC covers bytes 0–22 and, when given, the client address, so a nonce can be bound
 * to the address it was issued to (a phone whose NAT binding changes then gets a fresh 401).
 */

/**
 * - `valid`: ours and young enough;
 * - `stale`: ours but expired (or signed with a retired secret) — answer 401 with
 *   stale=true so the phone retries with the new nonce without asking its user;
 * - `invalid`: not ours (forged, garbled, another address) — answer a fresh 401.
 */
export type NonceStatus = 'valid' | 'stale' | 'invalid';

export interface NonceIssuerOptions {
  /** The server secret, at least 32 random bytes; keep it across restarts to avoid 401s. */
  readonly secret: Uint8Array;
  /** Secrets retired by a rotation: their nonces are answered `stale`, not `invalid`. */
  readonly previousSecrets?: readonly Uint8Array[] | undefined;
  /** How long a nonce stays valid; default 5 minutes. */
  readonly lifetimeMs?: number | undefined;
  /** Randomness comes in as a parameter so tests control it (STYLE rule 5). */
  readonly randomBytes?: ((size: number) => Uint8Array) | undefined;
}

const VERSION = 0x01;
const TIME_BYTES = 6;
const RANDOM_BYTES = 16;
const MAC_BYTES = 16;
const SIGNED_BYTES = 1 + TIME_BYTES + RANDOM_BYTES;
const NONCE_BYTES = SIGNED_BYTES + MAC_BYTES;
const NONCE_TEXT = /^[A-Za-z0-9_-]{52}$/;
/** Servers in a cluster may disagree on the time by a little; more than this is not ours. */
const CLOCK_SKEW_MS = 30_000;

export const defaultNonceLifetimeMs = 5 * 60_000;

export class NonceIssuer {
  private readonly secret: Uint8Array;
  private readonly previousSecrets: readonly Uint8Array[];
  private readonly lifetimeMs: number;
  private readonly random: (size: number) => Uint8Array;

  constructor(options: NonceIssuerOptions) {
    for (const secret of [options.secret, ...(options.previousSecrets ?? [])]) {
      if (secret.length < 32) throw new RangeError('a nonce secret needs at least 32 bytes');
    }
    this.secret = options.secret;
    this.previousSecrets = options.previousSecrets ?? [];
    this.lifetimeMs = options.lifetimeMs ?? defaultNonceLifetimeMs;
    if (!(this.lifetimeMs > 0)) throw new RangeError('nonce lifetime must be positive');
    this.random = options.randomBytes ?? randomBytes;
  }

  issueNonce(now: Date, clientAddress?: string): string {
    const nonce = Buffer.alloc(NONCE_BYTES);
    nonce.writeUInt8(VERSION, 0);
    nonce.writeUIntBE(now.getTime(), 1, TIME_BYTES);
    const random = this.random(RANDOM_BYTES);
    if (random.length !== RANDOM_BYTES) throw new RangeError('randomBytes returned a wrong size');
    nonce.set(random, 1 + TIME_BYTES);
    mac(this.secret, nonce.subarray(0, SIGNED_BYTES), clientAddress).copy(nonce, SIGNED_BYTES);
    return nonce.toString('base64url');
  }

  checkNonce(nonce: string, now: Date, clientAddress?: string): NonceStatus {
    // Buffer's base64 decoder skips characters it does not know, so check the text first.
    if (!NONCE_TEXT.test(nonce)) return 'invalid';
    const bytes = Buffer.from(nonce, 'base64url');
    if (bytes.length !== NONCE_BYTES || bytes.readUInt8(0) !== VERSION) return 'invalid';
    const signed = bytes.subarray(0, SIGNED_BYTES);
    const given = bytes.subarray(SIGNED_BYTES);
    if (!timingSafeEqual(mac(this.secret, signed, clientAddress), given)) {
      const retired = this.previousSecrets.some((secret) =>
        timingSafeEqual(mac(secret, signed, clientAddress), given),
      );
      return retired ? 'stale' : 'invalid';
    }
    const age = now.getTime() - bytes.readUIntBE(1, TIME_BYTES);
    // Ours but from the future means our clock stepped back: ask for a fresh one quietly.
    if (age > this.lifetimeMs || age < -CLOCK_SKEW_MS) return 'stale';
    return 'valid';
  }
}

function mac(secret: Uint8Array, signed: Buffer, clientAddress: string | undefined): Buffer {
  const hmac = createHmac('sha256', secret).update(signed);
  // A marker byte keeps "no address" distinct from the empty address.
  if (clientAddress === undefined) hmac.update(Buffer.from([0]));
  else hmac.update(Buffer.from([1])).update(clientAddress, 'utf8');
  return hmac.digest().subarray(0, MAC_BYTES);
}
