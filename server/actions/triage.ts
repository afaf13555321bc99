import type { Viewer } from '../access.ts';
import { audit } from '../db/audit.ts';
import { inTransaction, type DB } from '../db/index.ts';
import {
  deleteTriage,
  setTriageRows,
  switchLinks,
  triageOf,
  visibleMentionIds,
  type TriageState,
} from '../db/triage.ts';

// Marking posts in the inbox for the board's team: seen, handled, not relevant (out of the inbox and
// every count, kept for the query preview), or back to open. Only posts the viewer sees; a post marked
// not relevant is switched off at the viewer's schools only, and "open" switches exactly those back on.
export type TriageChange = TriageState | 'open';
export const MAX_TRIAGE = 200;

export async function triage(db: DB, v: Viewer, ids: string[], change: TriageChange, now: Date, ip?: string) {
  const wanted = [...new Set(ids)].slice(0, MAX_TRIAGE);
  return inTransaction(db, async (trx) => {
    const before = new Map((await triageOf(trx, wanted)).map((t) => [t.mention_id, t]));
    // an irrelevant post is no longer in any inbox of the viewer; it can still be taken back
    const visible = new Set(await visibleMentionIds(trx, v.boardId, v.schoolIds, wanted));
    const mine = wanted.filter(
      (id) =>
        visible.has(id) ||
        (before.get(id)?.state === 'irrelevant' &&
          before.get(id)!.inactive_schools.some((s) => v.schoolIds.includes(String(s)))),
    );
    const rows = [];
    for (const id of mine) {
      const was = before.get(id);
      // "seen" never overrides a decision already taken
      if (change === 'seen' && was && was.state !== 'seen') continue;
      if (was?.state === 'irrelevant' && change !== 'irrelevant') {
        const back = was.inactive_schools.map(String).filter((s) => v.schoolIds.includes(s));
        await switchLinks(trx, id, back, true);
      }
      if (change === 'open') continue;
      const inactive =
        change === 'irrelevant'
          ? was?.state === 'irrelevant'
            ? was.inactive_schools.map(String)
            : await switchLinks(trx, id, v.schoolIds, false)
          : [];
      rows.push({ mentionId: id, boardId: v.boardId, state: change, userId: v.id, actor: v.email, at: now, inactive });
    }
    if (change === 'open') await deleteTriage(trx, mine);
    else await setTriageRows(trx, rows);
    const changed = change === 'open' ? mine.length : rows.length;
    if (changed && change !== 'seen')
      await audit(trx, {
        boardId: v.boardId,
        userId: v.id,
        actor: v.email,
        action: 'mention.triage',
        targetType: 'mention',
        targetId: mine.length === 1 ? mine[0] : undefined,
        ip,
        details: { state: change, mentions: mine.slice(0, 50), count: changed },
      });
    return { changed, ids: mine };
  });
}
