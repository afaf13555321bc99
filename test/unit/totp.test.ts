import { expect, test } from 'vitest';
import {
  base32Decode,
  base32Encode,
  hotp,
  matchingStep,
  newRecoveryCodes,
  otpauthUri,
  recoveryCodeHash,
  timeStep,
  totp,
} from '../../server/auth/totp.ts';

// RFC 6238 appendix B (the SHA-1 rows) and RFC 4648 §10, with the time always given, never read.
const SECRET = Buffer.from('12345678901234567890', 'ascii');
const at = (seconds: number) => new Date(seconds * 1000);
const VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

test('TOTP gives the RFC 6238 test vectors, in 8 digits and in the 6 an authenticator app shows', () => {
  for (const [t, code] of VECTORS) {
    expect(totp(SECRET, at(t), 8)).toBe(code);
    expect(totp(SECRET, at(t))).toBe(code.slice(2));
  }
});

test('HOTP gives the RFC 4226 appendix D values', () => {
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  expect(expected.map((_, i) => hotp(SECRET, i))).toEqual(expected);
});

test('a code is accepted one step either side of now and refused further away', () => {
  const now = at(1111111111);
  const step = timeStep(now);
  expect(matchingStep(SECRET, '050471', now)).toBe(step);
  expect(matchingStep(SECRET, totp(SECRET, at(1111111111 - 30)), now)).toBe(step - 1);
  expect(matchingStep(SECRET, totp(SECRET, at(1111111111 + 30)), now)).toBe(step + 1);
  expect(matchingStep(SECRET, totp(SECRET, at(1111111111 - 60)), now)).toBeNull();
  expect(matchingStep(SECRET, totp(SECRET, at(1111111111 + 60)), now)).toBeNull();
  expect(matchingStep(SECRET, '12345', now)).toBeNull();
  expect(matchingStep(SECRET, '05047a', now)).toBeNull();
});

test('base32 gives the RFC 4648 test vectors and reads what people type', () => {
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'MY======'],
    ['fo', 'MZXQ===='],
    ['foo', 'MZXW6==='],
    ['foob', 'MZXW6YQ='],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI======'],
  ];
  for (const [plain, encoded] of vectors) {
    expect(base32Encode(Buffer.from(plain))).toBe(encoded);
    expect(base32Decode(encoded).toString()).toBe(plain);
  }
  expect(base32Decode('mzxw 6ytb oi').toString()).toBe('foobar');
  expect(base32Encode(SECRET)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  expect(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')).toEqual(SECRET);
  expect(() => base32Decode('MZXW1')).toThrow();
});

test('the otpauth URI names the issuer and the account and carries the secret', () => {
  const text = otpauthUri(SECRET, 'privacy@edu-ley.nl');
  expect(text).toMatch(/^otpauth:\/\/totp\/Klankbord:privacy%40edu-ley\.nl\?/);
  const uri = new URL(text);
  expect(uri.searchParams.get('secret')).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  expect(uri.searchParams.get('issuer')).toBe('Klankbord');
  expect(uri.searchParams.get('digits')).toBe('6');
  expect(uri.searchParams.get('period')).toBe('30');
});

test('recovery codes are ten different codes, hashed the same however they are typed', () => {
  const codes = newRecoveryCodes();
  expect(codes).toHaveLength(10);
  expect(new Set(codes).size).toBe(10);
  for (const c of codes) expect(c).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
  expect(recoveryCodeHash(codes[0]!.toUpperCase().replace('-', ' '))).toBe(recoveryCodeHash(codes[0]!));
  expect(recoveryCodeHash(codes[0]!)).not.toBe(recoveryCodeHash(codes[1]!));
});
