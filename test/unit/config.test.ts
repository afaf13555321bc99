import path from 'node:path';
import { expect, test } from 'vitest';
import { ConfigError, parseConfig } from '../../server/config.ts';

test('uses defaults when nothing is set', () => {
  const c = parseConfig({});
  expect(c.PORT).toBe(8080);
  expect(c.dataDir).toBe(path.resolve('./data'));
  expect(c.KLANKBORD_FETCH_ALLOW).toEqual([]);
  expect(Object.isFrozen(c)).toBe(true);
});

test('lists every invalid variable at once', () => {
  let message = '';
  try {
    parseConfig({
      PORT: 'acht',
      DATABASE_URL: 'mysql://x',
      KLANKBORD_FETCH_ALLOW: 'localhost',
      KLANKBORD_DEMO_PASSWORD: 'kort',
      KLANKBORD_LABEL_THREADS: 'veel',
    });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    message = (err as Error).message;
  }
  for (const name of [
    'PORT',
    'DATABASE_URL',
    'KLANKBORD_FETCH_ALLOW',
    'KLANKBORD_DEMO_PASSWORD',
    'KLANKBORD_LABEL_THREADS',
  ])
    expect(message).toContain(name);
});

test('parses the fetch allow-list', () => {
  expect(parseConfig({ KLANKBORD_FETCH_ALLOW: 'Localhost:8080, 10.0.0.5:443' }).KLANKBORD_FETCH_ALLOW).toEqual([
    'localhost:8080',
    '10.0.0.5:443',
  ]);
});

test('takes the number of classification threads', () => {
  expect(parseConfig({ KLANKBORD_LABEL_THREADS: '2' }).KLANKBORD_LABEL_THREADS).toBe(2);
  expect(parseConfig({}).KLANKBORD_LABEL_THREADS).toBeUndefined();
  expect(() => parseConfig({ KLANKBORD_LABEL_THREADS: '40' })).toThrow(
    /KLANKBORD_LABEL_THREADS: verwacht 0 tot en met 16/,
  );
});
