import dns from 'node:dns/promises';
import net from 'node:net';
import nodemailer from 'nodemailer';
import { unseal } from '../../server/auth/secretBox.ts';
import type { SmtpSettings } from '../../server/db/outbox.ts';
import { isPublicAddress } from '../http/addresses.ts';

// The board's mail server is reached from this machine: like a collector, never an internal address
// unless "host:port" is in KLANKBORD_FETCH_ALLOW. The name is resolved once per connection and the
// transport connects to exactly that checked address (TLS still verifies the name), so a DNS answer
// that changes after the check (rebinding) cannot steer the password to an internal service.

type Checked = { address: string } | { problem: string };

export async function checkMailServer(host: string, port: number, allow: readonly string[]): Promise<Checked> {
  const addresses = net.isIP(host)
    ? [host]
    : await dns.lookup(host, { all: true }).then(
        (r) => r.map((a) => a.address),
        () => [],
      );
  if (!addresses.length) return { problem: `Mailserver ${host} is niet gevonden` };
  if (allow.includes(`${host.toLowerCase()}:${port}`)) return { address: addresses[0] };
  if (addresses.some((a) => !isPublicAddress(a)))
    return {
      problem: `Mailserver ${host} is een intern of privé adres; zet ${host}:${port} in KLANKBORD_FETCH_ALLOW als dat de bedoeling is`,
    };
  return { address: addresses[0] };
}

export async function smtpTransport(s: SmtpSettings, allow: readonly string[]) {
  const checked = await checkMailServer(s.host, s.port, allow);
  if ('problem' in checked) throw new Error(checked.problem);
  return nodemailer.createTransport({
    host: checked.address,
    // the name for SNI and certificate checks, while the connection goes to the checked address
    ...(net.isIP(s.host) ? {} : { servername: s.host }),
    port: s.port,
    secure: s.security === 'tls',
    requireTLS: s.security === 'starttls',
    ignoreTLS: s.security === 'none',
    auth: s.username ? { user: s.username, pass: s.password ? unseal(s.password) : '' } : undefined,
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}
