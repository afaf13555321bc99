import { LineCounter, parseDocument, type Node } from 'yaml';
import { z } from 'zod';
import { collectors, sourceKinds } from '../../workers/collectors/registry.ts';
import { parseQuery, QueryError } from '../../workers/match/query.ts';
import { PRESET_IDS } from '../../workers/policy/presets.ts';
import { REGIONS } from '../db/schema.ts';
import { SCHOOL_ROLES } from '../../workers/policy/types.ts';

// A board's configuration file (YAML): its schema and parsing, every problem with its line number
// (boardConfig.ts imports it into the database and writes a board out as one).

export const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'ongeldige slug: alleen kleine letters, cijfers en streepjes (2–63 tekens)');
const text = (max: number) => z.string().trim().min(1, 'mag niet leeg zijn').max(max);

// What makes a school besides its slug, as the board file and the dashboard's school form both give it.
export const schoolDetailFields = {
  name: text(200),
  aliases: z.array(text(200)).max(50).default([]),
  place: text(200).nullish(),
  // the holiday region the school follows (the board's holiday schedule)
  region: z.enum(REGIONS, { message: 'regio: noord, midden of zuid' }).nullish(),
};
export const boardName = text(200);

const schoolSchema = z.strictObject({
  slug,
  ...schoolDetailFields,
  query: z.string().max(5000).nullish(),
  facts: z.array(text(1000)).max(200).default([]),
  // People by role; when given, they replace the school's contacts.
  contacts: z
    .array(
      z.strictObject({
        role: z.enum(SCHOOL_ROLES),
        name: text(200),
        email: z.email('ongeldig e-mailadres').nullish(),
        phone: z.string().max(40).nullish(),
      }),
    )
    .max(50)
    .optional(),
});

// Keys that configure a collector; they are stored in sources.settings. Which of them a kind needs
// is the collector's business (checkSettings).
const settingFields = {
  query: text(500),
  instance: z.string().url('ongeldig adres'),
  subreddit: text(30),
  channel_id: text(40),
  actor: text(260),
  tag: text(100),
  account: text(200),
  token: text(500),
  identifier: text(260),
  appPassword: text(200),
  lang: text(10),
  apiKey: text(200),
  dailyQuota: z.number().int().min(1).max(100_000_000),
  page_id: text(30),
  ig_user_id: text(30),
};
export const SETTING_KEYS = Object.keys(settingFields) as (keyof typeof settingFields)[];

const sourceSchema = z.strictObject({
  kind: z.string(),
  url: z
    .string()
    .url('ongeldige URL')
    .refine((u) => /^https?:\/\//i.test(u), 'alleen http(s)-adressen')
    .optional(),
  ...z.object(settingFields).partial().shape,
  name: text(200).optional(),
  school: slug.optional(),
  interval_minutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .optional(),
  enabled: z.boolean().optional(),
});

const fileSchema = z.strictObject({
  board: z.strictObject({
    slug,
    name: boardName,
    // the policy presets a board can pick (workers/policy/presets/)
    policy: z.enum(PRESET_IDS).default('edu-ley'),
    exclusions: z.string().max(5000).nullish(),
  }),
  schools: z.array(schoolSchema).min(1, 'minstens één school'),
  sources: z.array(sourceSchema).default([]),
});

export type BoardFile = z.infer<typeof fileSchema>;

export class ConfigFileError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

function lineOf(
  doc: ReturnType<typeof parseDocument>,
  counter: LineCounter,
  path: (string | number)[],
): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = (n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true)) as Node | undefined;
    if (node && typeof node === 'object' && 'range' in node && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

// Parses and checks a board file completely before anything is written: every problem is listed
// with its line number, and an invalid file changes nothing.
export function parseBoardFile(source: string): BoardFile {
  const counter = new LineCounter();
  const doc = parseDocument(source, { lineCounter: counter, uniqueKeys: true });
  if (doc.errors.length) {
    throw new ConfigFileError(
      doc.errors.map((e) => `regel ${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0]}`),
    );
  }
  const at = (path: (string | number)[]) => {
    const line = lineOf(doc, counter, path);
    return line ? `regel ${line}` : 'bestand';
  };
  const raw = doc.toJS() as Record<string, unknown> | null;
  const parsed = fileSchema.safeParse(raw);
  const problems: string[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => {
        const path = i.path as (string | number)[];
        if (i.code === 'unrecognized_keys') {
          return `${at([...path, i.keys[0]])}: ${path.join('.') || '(top)'}: onbekende sleutel (${i.keys.join(', ')})`;
        }
        return `${at(path)}: ${path.join('.') || '(top)'}: ${i.message}`;
      });
  // Cross-checks run on the raw document too, so one run lists every problem in the file.
  const list = (v: unknown) => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);
  const seen = new Set<unknown>();
  // Queries are checked here, so a file with a broken query is refused before anything is stored.
  const checkQuery = (q: unknown, path: (string | number)[], what: string) => {
    if (typeof q !== 'string' || !q.trim()) return;
    try {
      parseQuery(q);
    } catch (err) {
      if (err instanceof QueryError) problems.push(`${at(path)}: ${what}: ${err.message}`);
    }
  };
  checkQuery(
    (raw?.board as Record<string, unknown> | undefined)?.exclusions,
    ['board', 'exclusions'],
    'uitsluitingen van het bestuur',
  );
  list(raw?.schools).forEach((s, i) =>
    checkQuery(s?.query, ['schools', i, 'query'], `zoekopdracht van ${String(s?.slug ?? `school ${i + 1}`)}`),
  );
  list(raw?.schools).forEach((s, i) => {
    if (seen.has(s?.slug)) problems.push(`${at(['schools', i, 'slug'])}: school "${s.slug}" staat er twee keer in`);
    seen.add(s?.slug);
  });
  const kinds = sourceKinds();
  list(raw?.sources).forEach((s, i) => {
    if (typeof s?.kind === 'string' && !kinds.includes(s.kind))
      problems.push(`${at(['sources', i, 'kind'])}: onbekende bronsoort "${s.kind}" (bekend: ${kinds.join(', ')})`);
    if (s?.school !== undefined && !seen.has(s.school))
      problems.push(`${at(['sources', i, 'school'])}: school "${String(s.school)}" staat niet onder schools`);
    const collector = typeof s?.kind === 'string' ? collectors.get(s.kind) : undefined;
    if (collector?.addable === false)
      problems.push(
        `${at(['sources', i, 'kind'])}: een ${s.kind}-bron maakt Klankbord zelf aan; haal haar uit het bestand`,
      );
    if (collector?.needsSchool && !s.school)
      problems.push(`${at(['sources', i])}: een ${s.kind}-bron hoort bij één school (school)`);
    for (const p of collector?.checkSettings(s, typeof s.url === 'string' ? s.url : undefined) ?? []) {
      problems.push(`${at(['sources', i, ...(p.key ? [p.key] : [])])}: een ${s.kind}-bron ${p.message}`);
    }
  });
  if (problems.length || !parsed.success) throw new ConfigFileError(problems);
  const file = parsed.data;
  return file;
}
