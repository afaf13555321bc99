import { expect, test } from 'vitest';
import { looksLikeHtml, readPage } from '../../workers/feeds/htmlPage.ts';

const html = `<!DOCTYPE html><html lang="nl"><head>
<title>Nieuws &amp; meer | Omroep Flevoland</title>
<meta property="og:title" content="Meander opent nieuw schoolplein">
<meta name="description" content='Kinderen van De Meander spelen op hun &quot;groene&quot; plein.'>
<meta property="article:published_time" content="2026-11-20T09:00:00+01:00">
<meta property="og:site_name" content="Omroep Flevoland">
<link rel="alternate" type="application/rss+xml" title="Nieuws (RSS)" href="/rss/nieuws.xml">
<link rel="alternate" type="application/atom+xml" href="https://omroep.example/atom">
<link rel="alternate" type="application/feed+json" title="JSON" href="feed.json">
<link rel="alternate" hreflang="en" href="/en/">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
<link rel="stylesheet" href="/s.css">
</head><body><link rel="alternate" type="application/rss+xml" href="/in-body.xml"></body></html>`;

test('reads title, description, date and the feeds a page links to', () => {
  expect(looksLikeHtml(html)).toBe(true);
  expect(looksLikeHtml('<?xml version="1.0"?><rss/>')).toBe(false);
  const p = readPage(html, 'https://omroep.example/nieuws/artikel');
  expect(p).toMatchObject({
    title: 'Meander opent nieuw schoolplein',
    description: 'Kinderen van De Meander spelen op hun "groene" plein.',
    siteName: 'Omroep Flevoland',
  });
  expect(p.publishedAt?.toISOString()).toBe('2026-11-20T08:00:00.000Z');
  expect(p.feeds).toEqual([
    { url: 'https://omroep.example/rss/nieuws.xml', title: 'Nieuws (RSS)', type: 'rss' },
    { url: 'https://omroep.example/atom', title: 'https://omroep.example/atom', type: 'atom' },
    { url: 'https://omroep.example/nieuws/feed.json', title: 'JSON', type: 'json' },
  ]);
});

test('falls back to the <title> and copes with a page without a head', () => {
  expect(readPage('<html><title>Alleen titel</title></html>', 'https://x.example/').title).toBe('Alleen titel');
  expect(readPage('geen html', 'https://x.example/')).toMatchObject({ title: '', feeds: [] });
});
