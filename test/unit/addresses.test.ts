import { expect, test } from 'vitest';
import { isPublicAddress } from '../../workers/http/addresses.ts';

test.each([
  '127.0.0.1',
  '10.1.2.3',
  '172.20.0.1',
  '192.168.1.1',
  '169.254.169.254',
  '100.64.0.1',
  '0.0.0.0',
  '::1',
  '::',
  'fe80::1',
  'fd00::1',
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  // IPv4-compatible and IPv4-translated forms (issue 17)
  '::7f00:1',
  '::ffff:0:7f00:1',
  '::a9fe:a9fe',
  '::ffff:0:a9fe:a9fe',
  '64:ff9b::10.0.0.1',
  '64:ff9b::7f00:1',
  '2001:0:4136:e378::1',
  '2002:7f00:1::1',
  'not-an-ip',
])('refuses internal address %s', (ip) => expect(isPublicAddress(ip)).toBe(false));

test.each(['93.184.216.34', '145.97.39.155', '2a00:1450:400e:80c::200e', '::ffff:93.184.216.34'])(
  'allows public address %s',
  (ip) => {
    expect(isPublicAddress(ip)).toBe(true);
  },
);
