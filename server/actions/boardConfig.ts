import { openSettings, sealSettings } from '../auth/secretBox.ts';
import { LineCounter, parseDocument, stringify, type Node } from 'yaml';
import { z } from 'zod';
import { collectors, sourceKinds } from '../../workers/collectors/registry.ts';
import { parseQuery, QueryError } from '../../workers/match/query.ts';
import { loadPreset, PRESET_IDS } from '../../workers/policy/presets.ts';
import { insertVersion } from './policy.ts';
import { REGIONS } from '../db/schema.ts';
import { SCHOOL_ROLES, type SchoolRole } from '../../workers/policy/types.ts';
import { audit } from '../db/audit.ts';
import { boardBySlug, insertBoard, updateBoardNameAndExclusions } from '../db/boards.ts';
import { inTransaction, type DB } from '../db/index.ts';
import { contactsOfSchools, replaceContacts } from '../db/schoolContacts.ts';
import { fullSchoolsOfBoard, schoolSlugsOfBoard, upsertSchool } from '../db/schools.ts';
import { insertSource, sameSource, sourcesOfBoard, updateSourceColumns } from '../db/sources.ts';

// The policy presets a board can pick (workers/policy/presets/).
export const POLICIES = PRESET_IDS;

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
const SETTING_KEYS = Object.keys(settingFields) as (keyof typeof settingFields)[];

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
    policy: z.enum(POLICIES).default('edu-ley'),
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

export type ImportSummary = {
  board: string;
  created: boolean;
  schools: { created: number; updated: number };
  sources: { created: number; updated: number };
  untouchedSchools: string[];
};

export async function importBoard(
  db: DB,
  file: BoardFile,
  actor: string,
  opts: { isDemo?: boolean } = {},
): Promise<ImportSummary> {
  return inTransaction(db, async (trx) => {
    const existing = await boardBySlug(trx, file.board.slug);
    // Another preset in the file is a new policy version (audited like a change in the dashboard);
    // the same preset keeps whatever the board adjusted since.
    if (existing && existing.policy !== file.board.policy)
      await insertVersion(
        trx,
        { boardId: existing.id, userId: null, actor, name: actor },
        loadPreset(file.board.policy),
        'Ander protocol gekozen in het bestuursbestand',
      );
    const boardId = existing
      ? await updateBoardNameAndExclusions(trx, existing.id, file.board.name, file.board.exclusions ?? null)
      : await insertBoard(trx, {
          slug: file.board.slug,
          name: file.board.name,
          policy: file.board.policy,
          exclusions: file.board.exclusions ?? null,
          isDemo: opts.isDemo ?? false,
        });
    const summary: ImportSummary = {
      board: file.board.slug,
      created: !existing,
      schools: { created: 0, updated: 0 },
      sources: { created: 0, updated: 0 },
      untouchedSchools: [],
    };
    const schoolIds = new Map<string, string>();
    for (const s of file.schools) {
      const values = {
        name: s.name,
        aliases: s.aliases,
        query: s.query ?? null,
        place: s.place ?? null,
        facts: s.facts,
        ...(s.region !== undefined ? { region: s.region } : {}),
      };
      const row = await upsertSchool(trx, boardId, s.slug, values);
      schoolIds.set(s.slug, row.id);
      if (s.contacts)
        await replaceContacts(
          trx,
          row.id,
          s.contacts.map((c) => ({ role: c.role, name: c.name, email: c.email ?? null, phone: c.phone ?? null })),
        );
      summary.schools[row.inserted ? 'created' : 'updated']++;
      await audit(trx, {
        boardId,
        actor,
        action: row.inserted ? 'school.create' : 'school.update',
        targetType: 'school',
        targetId: row.id,
        details: { slug: s.slug },
      });
    }
    const before = await schoolSlugsOfBoard(trx, boardId);
    summary.untouchedSchools = before.filter((s) => !schoolIds.has(s.slug)).map((s) => s.slug);
    for (const s of file.sources) {
      const settings: Record<string, unknown> = Object.fromEntries(
        SETTING_KEYS.filter((k) => s[k] !== undefined).map((k) => [k, s[k]]),
      );
      const collector = collectors.get(s.kind);
      const url = collector?.sourceUrl?.(settings) ?? s.url ?? null;
      const values = {
        settings: JSON.stringify(settings),
        school_id: s.school ? schoolIds.get(s.school)! : null,
        name: s.name ?? collector?.describe?.(settings) ?? s.url ?? s.kind,
        enabled: s.enabled ?? true,
        interval_seconds: (s.interval_minutes ?? 15) * 60,
      };
      const prior = await sameSource(trx, boardId, s.kind, url, values.school_id);
      for (const [k, v] of Object.entries(settings)) {
        if (v !== SECRET_KEPT) continue;
        const stored = prior?.settings[k];
        if (!stored)
          throw new ConfigFileError([
            `bron "${values.name}": ${k} staat op "${SECRET_KEPT}", maar de database heeft nog geen waarde; vul het geheim in`,
          ]);
        settings[k] = stored;
      }
      values.settings = JSON.stringify(sealSettings(s.kind, settings));
      if (prior) await updateSourceColumns(trx, prior.id, values);
      const id = prior ? prior.id : await insertSource(trx, { board_id: boardId, kind: s.kind, url, ...values });
      summary.sources[prior ? 'updated' : 'created']++;
      await audit(trx, {
        boardId,
        actor,
        action: prior ? 'source.update' : 'source.create',
        targetType: 'source',
        targetId: id,
        details: { kind: s.kind, url, query: s.query },
      });
    }
    await audit(trx, {
      boardId,
      actor,
      action: 'config.import',
      targetType: 'board',
      targetId: boardId,
      details: summary,
    });
    return summary;
  });
}

// Secrets (tokens, app passwords, API keys) are not written out unless asked for; the file then
// holds SECRET_KEPT, which an import reads as "keep what the database has".
export const SECRET_KEPT = '<bewaard in de database>';
function maskSecrets(kind: string, settings: Record<string, unknown>, withSecrets = false) {
  const secret = new Set(
    collectors
      .get(kind)
      ?.fields.filter((f) => f.secret)
      .map((f) => f.key) ?? [],
  );
  return Object.fromEntries(
    Object.entries(withSecrets ? openSettings(kind, settings) : settings).map(([k, v]) => [
      k,
      secret.has(k) && !withSecrets && v ? SECRET_KEPT : v,
    ]),
  );
}

export async function exportBoard(db: DB, boardSlug: string, opts: { withSecrets?: boolean } = {}): Promise<string> {
  const board = await boardBySlug(db, boardSlug);
  if (!board) throw new ConfigFileError([`bestuur "${boardSlug}" bestaat niet`]);
  const schools = await fullSchoolsOfBoard(db, board.id);
  const slugById = new Map(schools.map((s) => [s.id, s.slug]));
  const contacts = await contactsOfSchools(
    db,
    schools.map((s) => s.id),
  );
  const contactsOf = (id: string) =>
    contacts
      .filter((c) => c.school_id === id)
      .map((c) => ({
        role: c.role as SchoolRole,
        name: c.name,
        ...(c.email ? { email: c.email } : {}),
        ...(c.phone ? { phone: c.phone } : {}),
      }));
  const sources = await sourcesOfBoard(db, board.id);
  const out: BoardFile = {
    board: {
      slug: board.slug,
      name: board.name,
      policy: board.policy as BoardFile['board']['policy'],
      ...(board.exclusions ? { exclusions: board.exclusions } : {}),
    },
    schools: schools.map((s) => ({
      slug: s.slug,
      name: s.name,
      aliases: s.aliases,
      ...(s.place ? { place: s.place } : {}),
      ...(s.query ? { query: s.query } : {}),
      facts: s.facts,
      ...(s.region ? { region: s.region } : {}),
      ...(contactsOf(s.id).length ? { contacts: contactsOf(s.id) } : {}),
    })),
    sources: sources
      .filter((s) => collectors.get(s.kind)?.addable !== false)
      .map((s) => ({
        kind: s.kind,
        ...(collectors.get(s.kind)?.sourceUrl
          ? maskSecrets(s.kind, s.settings, opts.withSecrets)
          : s.url
            ? { url: s.url, ...maskSecrets(s.kind, s.settings, opts.withSecrets) }
            : maskSecrets(s.kind, s.settings, opts.withSecrets)),
        name: s.name,
        ...(s.school_id ? { school: slugById.get(s.school_id) } : {}),
        interval_minutes: Math.round(s.interval_seconds / 60),
        ...(s.enabled ? {} : { enabled: false }),
      })),
  };
  return stringify(out, { lineWidth: 0 });
}
