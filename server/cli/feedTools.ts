import fs from 'node:fs';
import { collectors, collectorFor } from '../../workers/collectors/registry.ts';
import { CollectError, type Collector, type SourceInput } from '../../workers/collectors/types.ts';
import { dbQuota } from '../../workers/quota.ts';
import { parseFeed } from '../../workers/feeds/parseFeed.ts';
import { decodeBody } from '../../workers/http/decode.ts';
import { UsageError, parse, type Command } from './args.ts';
import { println } from './io.ts';
import { fetchOptions, openReady } from './runtime.ts';

const line = (item: object) => JSON.stringify(item) + '\n';

export const parseFeedCmd: Command = {
  summary: 'toon de genormaliseerde berichten van een feedbestand (JSON Lines)',
  usage: `klankbord parse-feed <bestand> [--base URL]

Leest een RSS/Atom/JSON Feed-bestand en schrijft per bericht één JSON-regel: externalId, url,
title, text, author, publishedAt. --base: het adres waartegen relatieve links worden opgelost.`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { base: { type: 'string' } }, true);
    if (values.help) return (println(io.stdout, this.usage), 0);
    if (positionals.length !== 1) throw new UsageError('Geef precies één bestand: klankbord parse-feed <bestand>');
    let body: Buffer;
    try {
      body = fs.readFileSync(positionals[0]);
    } catch (err) {
      throw new UsageError(`Kan ${positionals[0]} niet lezen: ${(err as Error).message}`);
    }
    const items = await parseFeed(decodeBody(body), values.base ?? 'http://localhost/');
    for (const item of items) io.stdout.write(line(item));
    io.stderr.write(`${items.length} ${items.length === 1 ? 'bericht' : 'berichten'}.\n`);
    return 0;
  },
};

// The one value a kind needs when it needs just one (a feed address, a query, an account);
// everything else is given as a JSON object of settings.
function sourceFromTarget(collector: Collector, target: string): SourceInput {
  const base = { id: 'test', kind: collector.kind, etag: null, lastModified: null, state: {} };
  if (target.trim().startsWith('{')) {
    let given: Record<string, unknown>;
    try {
      given = JSON.parse(target);
    } catch {
      throw new UsageError(
        'De instellingen zijn geen geldige JSON, bijvoorbeeld \'{"instance":"https://mastodon.nl","tag":"school"}\'',
      );
    }
    const { url, ...settings } = given;
    return { ...base, url: typeof url === 'string' ? url : null, settings };
  }
  if (collector.fields.some((f) => f.key === 'url')) return { ...base, url: target, settings: {} };
  const required = collector.fields.filter((f) => f.required);
  if (required.length === 1 && !required[0].secret)
    return { ...base, url: null, settings: { [required[0].key]: target } };
  const keys = collector.fields.map((f) => `${f.key}${f.required ? '' : '?'}`).join(', ');
  throw new UsageError(`Een ${collector.kind}-bron heeft meer dan één instelling nodig; geef ze als JSON (${keys})`);
}

export const fetchSourceCmd: Command = {
  summary: 'haal een bron één keer op en toon wat ze zou opleveren, zonder iets op te slaan',
  usage: `klankbord fetch-source <soort> <url | zoekopdracht | JSON-instellingen>

Zoals "Test nu" in het dashboard: haalt de bron één keer op en schrijft de berichten als JSON
Lines, zonder iets op te slaan. Voorbeelden:
  klankbord fetch-source rss https://www.school.nl/feed.xml
  klankbord fetch-source google_news '"obs De Meander"'
  klankbord fetch-source bluesky_author school.bsky.social
  klankbord fetch-source mastodon_tag '{"instance":"https://mastodon.nl","tag":"obsmeander"}'
Is een adres een webpagina, dan worden de feeds genoemd waarnaar die pagina verwijst.
youtube_comments telt het API-quotum in de database (die wordt dan geopend).
Soorten: ${[...collectors.values()]
    .filter((c) => !c.push)
    .map((c) => c.kind)
    .join(', ')}.`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {}, true);
    if (values.help) return (println(io.stdout, this.usage), 0);
    const [kind, target] = positionals;
    if (!kind || !target || positionals.length > 2)
      throw new UsageError('Gebruik: klankbord fetch-source <soort> <url | zoekopdracht | JSON-instellingen>');
    let collector: Collector;
    try {
      collector = collectorFor(kind);
    } catch (err) {
      throw new UsageError(`${(err as Error).message}; kies uit ${[...collectors.keys()].join(', ')}`);
    }
    if (collector.push) throw new UsageError(`Een ${kind}-bron wordt niet opgehaald: mensen vullen haar zelf`);
    const source = sourceFromTarget(collector, target);
    const problems = collector.checkSettings(source.settings, source.url ?? undefined);
    if (problems.length) throw new UsageError(`Een ${kind}-bron ${problems.map((p) => p.message).join(' en ')}`);
    const conn = collector.usesQuota ? await openReady(io) : undefined;
    try {
      const result = await collector.collect(source, {
        fetchOptions: fetchOptions(io),
        quota: conn ? dbQuota(conn.db) : undefined,
      });
      for (const item of result.items) io.stdout.write(line(item));
      if (result.notice) io.stderr.write(`Let op: ${result.notice}\n`);
      io.stderr.write(`${result.items.length} ${result.items.length === 1 ? 'bericht' : 'berichten'}.\n`);
      return 0;
    } catch (err) {
      println(io.stderr, `Ophalen mislukt: ${(err as Error).message}`);
      const found = err instanceof CollectError ? err.discovered : undefined;
      if (found?.length)
        println(io.stderr, `Feeds op die pagina:\n${found.map((f) => `  ${f.url}  (${f.title})`).join('\n')}`);
      return 1;
    } finally {
      await conn?.close();
    }
  },
};
