import { expect, test } from 'vitest';
import { parseConfig } from '../../server/config.ts';
import { forwardedClient } from '../../server/routes/http.ts';

// Behind a reverse proxy the throttles must see the visitor, not the proxy — and only a listed proxy
// may say who the visitor is.
test('X-Forwarded-For counts only when the connection comes from a listed proxy', () => {
  const proxies = ['10.0.0.5', '10.0.0.6'];
  expect(forwardedClient('203.0.113.9', '198.51.100.1', proxies)).toBe('203.0.113.9'); // not a proxy: header ignored
  expect(forwardedClient('10.0.0.5', '198.51.100.1', proxies)).toBe('198.51.100.1');
  expect(forwardedClient('::ffff:10.0.0.5', '198.51.100.1', proxies)).toBe('198.51.100.1');
  // a visitor's own "X-Forwarded-For: 1.2.3.4" is to the left of what the proxy appended
  expect(forwardedClient('10.0.0.5', '1.2.3.4, 198.51.100.1', proxies)).toBe('198.51.100.1');
  // two proxies in a row
  expect(forwardedClient('10.0.0.5', '198.51.100.1, 10.0.0.6', proxies)).toBe('198.51.100.1');
  expect(forwardedClient('10.0.0.5', 'geen-adres', proxies)).toBe('10.0.0.5');
  expect(forwardedClient('10.0.0.5', undefined, proxies)).toBe('10.0.0.5');
  expect(forwardedClient('10.0.0.5', '198.51.100.1', [])).toBe('10.0.0.5');
  expect(forwardedClient(undefined, '198.51.100.1', proxies)).toBeUndefined();
});

test('the proxy list is read once and must hold addresses', () => {
  expect(parseConfig({ KLANKBORD_TRUSTED_PROXIES: '10.0.0.5, ::1' }).KLANKBORD_TRUSTED_PROXIES).toEqual([
    '10.0.0.5',
    '::1',
  ]);
  expect(parseConfig({}).KLANKBORD_TRUSTED_PROXIES).toEqual([]);
  expect(() => parseConfig({ KLANKBORD_TRUSTED_PROXIES: 'proxy.example.nl' })).toThrow(/KLANKBORD_TRUSTED_PROXIES/);
});
