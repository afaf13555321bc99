import type { DB } from './index.ts';
import { baseQuery, columns } from './inboxQuery.ts';
import type { MentionFilters } from './mentions.ts';
import { withSchools, withStoryCounts } from './mentionRows.ts';
import type { MentionDetail } from './mentionTypes.ts';
import { evidenceSpans, toItem, type Row } from './mentionView.ts';
import { boardPolicy, policyLabel } from './policy.ts';
import { correctionHistory } from './labels.ts';
import type { Evidence, SentimentLabel } from '../../workers/classify/types.ts';
import { classifiedText } from '../../workers/labelling.ts';
import { decide } from '../../workers/policy/engine.ts';

// Where `shown` (the text as the list shows it; masking keeps the length) hides characters of `text`.
function maskedSpans(text: string, shown: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === shown[i]) continue;
    const last = out.at(-1);
    if (last && last.end === i) last.end = i + 1;
    else out.push({ start: i, end: i + 1 });
  }
  return out;
}

// One mention as its detail view shows it: its labels and evidence, the prompts its board's rules give,
// its cases, corrections, story copies and report — through the viewer's schools, as the inbox lists it.
export async function getMention(
  db: DB,
  f: Pick<MentionFilters, 'schoolIds' | 'boardId'>,
  id: string,
  opts: { unmasked?: boolean } = {},
): Promise<MentionDetail | undefined> {
  const row = (await baseQuery(db, f).select(columns).where('m.id', '=', id).executeTakeFirst()) as Row | undefined;
  if (!row) return undefined;
  await withStoryCounts(db, [row]);
  const schools = await withSchools(db, [row], f.schoolIds);
  const copies = await db
    .selectFrom('mentions as m')
    .innerJoin('sources as s', 's.id', 'm.source_id')
    .select(['m.id', 'm.url', 'm.origin', 'm.published_at', 's.kind', 's.name'])
    .where('m.story_id', '=', row.id)
    .orderBy('m.id')
    .execute();
  const report = await db
    .selectFrom('reports')
    .select(['screenshot_description', 'contact', 'held'])
    .where('mention_id', '=', row.id)
    .executeTakeFirst();
  const item = toItem(row, schools.get(row.id) ?? [], opts.unmasked);
  const { preset, version } = await boardPolicy(db, f.boardId);
  const sentimentEvidence = row.corr?.sentiment ? [] : ((row.sentiment_evidence as Evidence[] | null) ?? []);
  // item.risks are the corrected ones; masking changes only personal-data evidence text, which the
  // engine does not quote.
  const labels = {
    sentiment: {
      label: (item.sentiment?.label ?? 'neutral') as SentimentLabel,
      score: item.sentiment?.score ?? 0,
      evidence: sentimentEvidence,
    },
    risks: item.risks,
  };
  const hasMedia = row.media.some((m) => m.type === 'image' || m.type === 'video');
  const text = classifiedText(row.title, row.body);
  return {
    ...item,
    policy: {
      id: preset.id,
      name: policyLabel(preset.name, version),
      ...(preset.stance ? { stance: preset.stance } : {}),
    },
    actions: decide(preset, {
      labels,
      text,
      masked: maskedSpans(text, classifiedText(item.title, item.text)),
      sourceKind: row.source_kind,
      hasMedia,
      now: row.created_at,
    }),
    evidence: evidenceSpans(row, item.risks),
    cases: (
      await db
        .selectFrom('case_mentions as cm')
        .innerJoin('cases as c', 'c.id', 'cm.case_id')
        .innerJoin('schools as s', 's.id', 'c.school_id')
        .select(['c.id', 'c.state', 's.name'])
        .where('cm.mention_id', '=', row.id)
        .where('c.school_id', 'in', f.schoolIds.length ? f.schoolIds : ['-1'])
        .orderBy('c.id')
        .execute()
    ).map((c) => ({ id: c.id, state: c.state, school: c.name })),
    corrections: await correctionHistory(db, row.id),
    alsoVia: copies.map((c) => ({
      id: c.id,
      source: { kind: c.kind, name: c.name },
      url: c.url,
      origin: c.origin,
      publishedAt: c.published_at.toISOString(),
    })),
    report: report
      ? { screenshotDescription: report.screenshot_description, hasContact: !!report.contact, held: report.held }
      : null,
  };
}
