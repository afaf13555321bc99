import { expect, test } from 'vitest';
import { absoluteUrl, decodeEntities, foldText, htmlToText } from '../../workers/normalise.ts';

test('turns feed HTML into the words a reader sees', () => {
  const html =
    '<p>Groep 8 van <b>De Meander</b> &amp; ouders</p><script>alert(1)</script><p>Tweede&nbsp;alinea&hellip;</p>';
  expect(htmlToText(html)).toBe('Groep 8 van De Meander & ouders\nTweede alinea…');
});

test('decodes numeric, hexadecimal and named entities and drops invalid code points', () => {
  expect(decodeEntities('&#233;&#xEB;&euml; &#0; &#xD800; &unknown;')).toBe('éëë   &unknown;');
});

test('resolves relative links against the feed address and refuses non-web schemes', () => {
  expect(absoluteUrl('/nieuws/1', 'https://school.nl/feed.xml')).toBe('https://school.nl/nieuws/1');
  expect(absoluteUrl('javascript:alert(1)', 'https://school.nl/')).toBeNull();
  expect(absoluteUrl('not a url')).toBeNull();
});

test('folds case and diacritics for search and matching', () => {
  expect(foldText('Ëlla’s CAFÉ in Zoë')).toBe('ella’s cafe in zoe');
});
