import { expect, test } from 'vitest';
import { canonicalUrl } from '../../workers/urls.ts';

test('unwraps Google, Bing and Facebook redirectors without requesting them', () => {
  expect(canonicalUrl('https://www.google.com/url?rct=j&sa=t&url=https://www.ad.nl/a%3Fx%3D1&ct=ga')).toBe(
    'https://www.ad.nl/a?x=1',
  );
  expect(
    canonicalUrl('http://www.bing.com/news/apiclick.aspx?ref=FexRss&url=https%3a%2f%2fnos.nl%2fartikel%2f1&c=1'),
  ).toBe('https://nos.nl/artikel/1');
  expect(canonicalUrl('https://l.facebook.com/l.php?u=https%3A%2F%2Fschool.nl%2F&h=AT0')).toBe('https://school.nl/');
});

test('removes tracking parameters and fragments, keeps the rest', () => {
  expect(canonicalUrl('https://WWW.AD.nl/artikel?id=5&utm_source=x&fbclid=abc#reacties')).toBe(
    'https://www.ad.nl/artikel?id=5',
  );
});

test('refuses what is not a web address', () => {
  expect(canonicalUrl('javascript:alert(1)')).toBeNull();
  expect(canonicalUrl('https://www.google.com/url?url=javascript:alert(1)')).toMatch(
    /^https:\/\/www\.google\.com\/url\?/,
  );
  expect(canonicalUrl('nonsense')).toBeNull();
});
