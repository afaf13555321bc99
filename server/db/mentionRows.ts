import { sql } from 'kysely';
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
      .where('ms.mention_id', 'in', ids)
      .where('ms.active', '=', true)
      // why: "+ 0" keeps the planner on the post's own links (one probe per row of the page); as an index
      // condition next to the page's ids it walked (school, post) pairs: 1,085 probes, ~2 ms at 1M
      .where(sql<string>`ms.school_id + 0`, 'in', schoolIds.length ? schoolIds : ['-1'])
      .orderBy('sc.name')
  );
}

export async function withSchools(db: DB, rows: { id: string }[], schoolIds: string[]) {
  if (!rows.length) return new Map<string, MentionItem['schools']>();
  const links = await schoolLinksQuery(
    db,
    rows.map((r) => r.id),
    schoolIds,
  ).execute();
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
  }
  if (!rows.length) return;
  const ids = rows.map((r) => r.id);
  const [held, counts, triage] = await Promise.all([
    db.selectFrom('reports').select('mention_id').where('mention_id', 'in', ids).where('held', '=', true).execute(),
    // kept by the database per story (sql/0042): no month of mentions is read
    db
      .selectFrom('story_copies')
      .select(['leader_id as story_id', sql<string>`copies::text`.as('n'), sql<boolean>`reported > 0`.as('reported')])
      .where('leader_id', 'in', ids)
      .where('copies', '>', 0)
      .execute(),
    db
      .selectFrom('mention_triage')
      .select(['mention_id', 'state', 'actor', 'at'])
      .where('mention_id', 'in', ids)
      .execute(),
  ]);
  const triaged = new Map(triage.map((t) => [t.mention_id, t]));
  for (const r of rows) {
    const t = triaged.get(r.id);
    r.triage = t ? { state: t.state as 'seen' | 'handled' | 'irrelevant', by: t.actor, at: t.at.toISOString() } : null;
  }
  const heldIds = new Set(held.map((h) => h.mention_id));
  for (const r of rows) r.held = heldIds.has(r.id);
  const byId = new Map(counts.map((c) => [c.story_id!, c]));
  for (const r of rows) {
    const c = byId.get(r.id);
    if (c) {
      r.copies = c.n;
      r.reported ||= c.reported;
    }
  }
}
