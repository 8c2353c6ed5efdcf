import { randomBytes, randomInt } from 'node:crypto';

// No look-alike characters (0/O, 1/l/I): people read SIP passwords off a screen into a phone.
const sipAlphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function generateSipPassword(length = 16): string {
  let password = '';
  for (let i = 0; i < length; i++) password += sipAlphabet[randomInt(sipAlphabet.length)];
  return password;
}

/** 256 bits of randomness, URL-safe: session ids, CSRF tokens, API keys. */
export function generateToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
