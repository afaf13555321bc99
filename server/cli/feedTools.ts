import fs from 'node:fs';
import { collectors, collectorFor } from '../../workers/collectors/registry.ts';
import { parseFeed } from '../../workers/feeds/parseFeed.ts';
import { decodeBody } from '../../workers/http/decode.ts';
import { UsageError, parse, type Command } from './args.ts';
import { fetchOptions } from './runtime.ts';

const line = (item: object) => JSON.stringify(item) + '\n';

export const parseFeedCmd: Command = {
  summary: 'toon de genormaliseerde berichten van een feedbestand (JSON Lines)',
  usage: `klankbord parse-feed <bestand> [--base URL]

Leest een RSS/Atom/JSON Feed-bestand en schrijft per bericht één JSON-regel: externalId, url,
title, text, author, publishedAt. --base: het adres waartegen relatieve links worden opgelost.`,
  async run(argv) {
    const { values, positionals } = parse(argv, { base: { type: 'string' } }, true);
    if (values.help) return console.log(this.usage), 0;
    if (positionals.length !== 1) throw new UsageError('Geef precies één bestand: klankbord parse-feed <bestand>');
    let body: Buffer;
    try {
      body = fs.readFileSync(positionals[0]);
    } catch (err) {
      throw new UsageError(`Kan ${positionals[0]} niet lezen: ${(err as Error).message}`);
    }
    const items = await parseFeed(decodeBody(body), values.base ?? 'http://localhost/');
    for (const item of items) process.stdout.write(line(item));
    process.stderr.write(`${items.length} bericht(en).\n`);
    return 0;
  },
};

export const fetchSourceCmd: Command = {
  summary: 'haal een bron één keer op en toon wat ze zou opleveren, zonder iets op te slaan',
  usage: `klankbord fetch-source <soort> <url-of-zoekopdracht>

Zoals "Test nu" in het dashboard: haalt de bron één keer op en schrijft de berichten als JSON
Lines, zonder database. Voorbeelden:
  klankbord fetch-source rss https://www.school.nl/feed.xml
  klankbord fetch-source google_news '"obs De Meander"'
Soorten: ${[...collectors.keys()].join(', ')}.`,
  async run(argv) {
    const { values, positionals } = parse(argv, {}, true);
    if (values.help) return console.log(this.usage), 0;
    const [kind, target] = positionals;
    if (!kind || !target || positionals.length > 2) throw new UsageError('Gebruik: klankbord fetch-source <soort> <url-of-zoekopdracht>');
    let collector;
    try {
      collector = collectorFor(kind);
    } catch (err) {
      throw new UsageError(`${(err as Error).message}; kies uit ${[...collectors.keys()].join(', ')}`);
    }
    const byQuery = !!collector.sourceUrl;
    const source = { id: 'test', kind, url: byQuery ? null : target, settings: byQuery ? { query: target } : {}, etag: null, lastModified: null, state: {} };
    try {
      const result = await collector.collect(source, { fetchOptions: fetchOptions() });
      for (const item of result.items) process.stdout.write(line(item));
      process.stderr.write(`${result.items.length} bericht(en).\n`);
      return 0;
    } catch (err) {
      console.error(`Ophalen mislukt: ${(err as Error).message}`);
      return 1;
    }
  },
};
