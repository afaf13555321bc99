import crypto from 'node:crypto';
import type { DB } from '../db/index.ts';
import type { Role } from '../db/schema.ts';
import {
  confirmTotp,
  deleteLoginTicket,
  insertLoginTicket,
  loginTicketUser,
  storePendingTotp,
  takeRecoveryCode,
  takeTotpStep,
  totpOf,
} from '../db/totp.ts';
import { seal, unseal } from './secretBox.ts';
import { digest } from './sessions.ts';
import {
  base32Encode,
  isRecoveryCodeShape,
  matchingStep,
  newRecoveryCodes,
  newTotpSecret,
  otpauthUri,
  recoveryCodeHash,
} from './totp.ts';

// The optional second factor: enrolment (a pending secret confirmed with a code), checking a code or
// a recovery code (each usable once), and the login ticket between a correct password and a code.
// Offered to everyone; recommended for the roles that see or change the most.
export const TOTP_RECOMMENDED: readonly Role[] = ['beheer', 'privacy'];
export const TICKET_MINUTES = 5;

const secretOf = (sealed: string) => Buffer.from(unseal(sealed), 'base64');

// null: the user already has a confirmed second factor (turn it off first).
export async function startEnrolment(db: DB, userId: string, email: string) {
  const secret = newTotpSecret();
  if (!(await storePendingTotp(db, userId, seal(secret.toString('base64'))))) return null;
  return { secret: base32Encode(secret).replace(/=+$/, ''), uri: otpauthUri(secret, email) };
}

// The recovery codes (shown once) when the code fits the pending secret; null otherwise.
export async function confirmEnrolment(db: DB, userId: string, code: string, now: Date) {
  const row = await totpOf(db, userId);
  if (!row || row.confirmed_at) return null;
  const step = matchingStep(secretOf(row.secret), code.replace(/\s/g, ''), now);
  if (step === null) return null;
  const codes = newRecoveryCodes();
  await confirmTotp(db, userId, step, now, codes.map(recoveryCodeHash));
  return codes;
}

// Which kind of code was right ('totp' or 'recovery'), or null. A right code is spent by checking it:
// its time step (and every earlier one) or the recovery code cannot be used again.
export async function checkSecondFactor(db: DB, userId: string, code: string, now: Date) {
  const row = await totpOf(db, userId);
  if (!row?.confirmed_at) return null;
  const digits = code.replace(/\s/g, '');
  if (/^\d{6}$/.test(digits)) {
    const step = matchingStep(secretOf(row.secret), digits, now);
    return step !== null && (await takeTotpStep(db, userId, step)) ? ('totp' as const) : null;
  }
  if (isRecoveryCodeShape(code) && (await takeRecoveryCode(db, userId, recoveryCodeHash(code), now)))
    return 'recovery' as const;
  return null;
}

export async function issueLoginTicket(db: DB, userId: string, now: Date): Promise<string> {
  const ticket = crypto.randomBytes(32).toString('base64url');
  await insertLoginTicket(db, userId, digest(ticket), new Date(now.getTime() + TICKET_MINUTES * 60_000));
  return ticket;
}

export const loginTicketOwner = (db: DB, ticket: string, now: Date) => loginTicketUser(db, digest(ticket), now);

// false: the ticket was used meanwhile (two requests with one ticket: only one gets a session).
export const spendLoginTicket = (db: DB, ticket: string) => deleteLoginTicket(db, digest(ticket));
