import { openSettings, sealSettings } from '../auth/secretBox.ts';
import { stringify } from 'yaml';
import { collectors } from '../../workers/collectors/registry.ts';
import { loadPreset } from '../../workers/policy/presets.ts';
import { insertVersion } from './policy.ts';
import type { SchoolRole } from '../../workers/policy/types.ts';
import { audit } from '../db/audit.ts';
import { boardBySlug, insertBoard, updateBoardNameAndExclusions } from '../db/boards.ts';
import { inTransaction, type DB } from '../db/index.ts';
import { contactsOfSchools, replaceContacts } from '../db/schoolContacts.ts';
import { fullSchoolsOfBoard, schoolSlugsOfBoard, upsertSchool } from '../db/schools.ts';
import { insertSource, sameSource, sourcesOfBoard, updateSourceColumns } from '../db/sources.ts';
import { ConfigFileError, SETTING_KEYS, type BoardFile } from './boardFile.ts';

// Importing a board file into the database and writing a board out as one (the file: boardFile.ts).

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
