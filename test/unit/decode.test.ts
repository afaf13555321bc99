import iconv from 'iconv-lite';
import { expect, test } from 'vitest';
import { decodeBody, detectEncoding } from '../../workers/http/decode.ts';

const xml = (enc: string, text: string) => `<?xml version="1.0" encoding="${enc}"?><t>${text}</t>`;

test('a byte-order mark wins over everything else', () => {
  const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml('iso-8859-1', 'Zoë'))]);
  expect(decodeBody(body, 'text/xml; charset=iso-8859-1')).toBe(xml('iso-8859-1', 'Zoë'));
  expect(decodeBody(iconv.encode('\ufeff' + xml('utf-16', 'é'), 'utf-16le'))).toContain('<t>é</t>');
});

test('the HTTP charset comes before the XML prolog', () => {
  expect(detectEncoding(Buffer.from(xml('utf-8', 'x')), 'application/rss+xml; charset="windows-1252"').label).toBe(
    'windows-1252',
  );
});

test('decodes ISO-8859-1 feeds as windows-1252, so euro signs and smart quotes survive', () => {
  const body = iconv.encode(xml('ISO-8859-1', '€ 5 voor de “schoolreis” – Zoë'), 'windows-1252');
  expect(decodeBody(body)).toBe(xml('ISO-8859-1', '€ 5 voor de “schoolreis” – Zoë'));
});

test('falls back to windows-1252 when undeclared bytes are not valid UTF-8', () => {
  expect(decodeBody(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x80]))).toBe('café €');
  expect(decodeBody(Buffer.from('café €'))).toBe('café €');
});

test('ignores an unknown declared encoding and keeps going', () => {
  expect(decodeBody(Buffer.from(xml('klingon-8', 'ok')))).toBe(xml('klingon-8', 'ok'));
});
