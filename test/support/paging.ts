import type { DB } from '../../server/db/index.ts';
import { decodeCursor, listMentions, type MentionFilters } from '../../server/db/mentions.ts';

// Every page of an inbox list, followed by its cursor to the end: the ids in the order listed.
export async function allPages(db: DB, f: MentionFilters, maxPages = 500): Promise<string[]> {
  const ids: string[] = [];
  for (let cursor = f.cursor, pages = 0; pages < maxPages; pages++) {
    const page = await listMentions(db, { ...f, cursor });
    ids.push(...page.items.map((i) => i.id));
    if (!page.nextCursor) return ids;
    cursor = decodeCursor(page.nextCursor);
  }
  throw new Error('no end');
}
