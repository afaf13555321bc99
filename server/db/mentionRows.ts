import { sql } from 'kysely';
import { preparedRows } from './prepared.ts';
import type { DB } from './index.ts';
import type { Row } from './mentionView.ts';
import type { MentionItem } from './mentionTypes.ts';

// What a listed post carries besides its own row, read for the rows of a page (or one post) only:
// its schools among the viewer's, its story's copies, a held-back report, the team's triage.

// The page's links to the viewer's schools (exported so a test can check its plan).
export function schoolLinksQuery(db: DB, ids: string[], schoolIds: string[]) {
  return (
    db
      .selectFrom('mention_schools as ms')
      .innerJoin('schools as sc', 'sc.id', 'ms.school_id')
      .select(['ms.mention_id', 'sc.id', 'sc.slug', 'sc.name', 'ms.matched', 'ms.spans'])
      // one array, so the statement's text is the same for a page of any length (kept prepared)
      .where('ms.mention_id', '=', sql<string>`any(${sql.val(ids)}::bigint[])`)
      .where('ms.active', '=', true)
      // why: "+ 0" keeps the planner on the post's own links (one probe per row of the page); as an index
      // condition next to the page's ids it walked (school, post) pairs: 1,085 probes, ~2 ms at 1M
      .where(sql<string>`ms.school_id + 0`, 'in', schoolIds.length ? schoolIds : ['-1'])
      .orderBy('sc.name')
  );
}

export async function withSchools(db: DB, rows: { id: string }[], schoolIds: string[]) {
  if (!rows.length) return new Map<string, MentionItem['schools']>();
  const links = await preparedRows(
    db,
    schoolLinksQuery(
      db,
      rows.map((r) => r.id),
      schoolIds,
    ).compile(),
  );
  const map = new Map<string, MentionItem['schools']>();
  for (const l of links) {
    const list = map.get(l.mention_id) ?? [];
    list.push({ id: l.id, slug: l.slug, name: l.name, matched: l.matched, spans: l.spans });
    map.set(l.mention_id, list);
  }
  return map;
}

// A story's copies, whether any was reported, and a held-back report, for the rows of the page only.
export async function withStoryCounts(db: DB, rows: Row[]) {
  for (const r of rows) {
    r.copies = '0';
    r.reported = r.origin === 'reported';
    r.held = false;
    r.triage = null;
  }
  if (!rows.length) return;
  // One statement for the page's ids (each a key lookup): three in parallel cost three connections and
  // three round trips of the process's own CPU for the same lookups.
  const found = await preparedRows(
    db,
    sql<{
      id: string;
      held: boolean;
      copies: string | null;
      reported: boolean | null;
      state: string | null;
      actor: string | null;
      at: Date | null;
    }>`select i.id::text as id,
      exists (select 1 from reports r where r.mention_id = i.id and r.held) as held,
      -- kept by the database per story (sql/0042): no month of mentions is read
      sc.copies::text as copies, sc.reported > 0 as reported,
      t.state, t.actor, t.at
    from unnest(${rows.map((r) => r.id)}::bigint[]) as i (id)
    left join story_copies sc on sc.leader_id = i.id and sc.copies > 0
    left join mention_triage t on t.mention_id = i.id`.compile(db),
  );
  const byId = new Map(found.map((f) => [f.id, f]));
  for (const r of rows) {
    const f = byId.get(r.id);
    if (!f) continue;
    r.held = f.held;
    r.triage = f.state
      ? { state: f.state as 'seen' | 'handled' | 'irrelevant', by: f.actor!, at: f.at!.toISOString() }
      : null;
    if (f.copies !== null) {
      r.copies = f.copies;
      r.reported ||= !!f.reported;
    }
  }
}
