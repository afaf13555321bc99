import type { Viewer } from '../access.ts';
import type { DB } from '../db/index.ts';
import { latestCorrectors } from '../db/labels.ts';
import { listMentions } from '../db/mentions.ts';
import type { MentionItem } from '../db/mentionTypes.ts';
import { classifiedText } from '../../workers/labelling.ts';

// Staff-corrected mentions as labelled data, in the corpus's TSV columns (test/corpus/README.md)
// plus who corrected them, so `npm run eval -- --file export.tsv` measures the classifier on them.
export const LABELLED_COLUMNS = [
  'id',
  'split',
  'register',
  'sentiment',
  'risks',
  'school',
  'text',
  'classifier',
  'corrected_by',
  'corrected_at',
] as const;

const cell = (s: string) => s.replace(/[\t\r\n]+/g, ' ').trim();
// Text someone else wrote: a cell a spreadsheet would run as a formula (=, +, -, @) starts with a quote.
const text = (s: string) => (/^[=+\-@]/.test(cell(s)) ? `'${cell(s)}` : s);

function riskLabels(m: MentionItem): string {
  const labels = m.risks.map((r) => (r.type === 'personal_data' ? `pd:${r.subtype ?? 'other'}` : r.type));
  return [...new Set(labels)].sort().join(',') || '-';
}

export async function labelledTsv(
  db: DB,
  viewer: Pick<Viewer, 'boardId' | 'schoolIds'>,
  opts: { unmasked?: boolean } = {},
) {
  const lines: string[] = [LABELLED_COLUMNS.join('\t')];
  const ids: string[] = [];
  let cursor: { publishedAt: Date; id: string } | undefined;
  for (;;) {
    const page = await listMentions(
      db,
      { boardId: viewer.boardId, schoolIds: viewer.schoolIds, corrected: true, cursor, limit: 100 },
      opts,
    );
    if (page.items.length) {
      const by = await latestCorrectors(
        db,
        page.items.map((m) => m.id),
      );
      for (const m of page.items) {
        const who = by.get(m.id);
        const row = [
          `k${m.id}`,
          'staff',
          m.source.kind,
          m.sentiment?.label ?? 'neutral',
          riskLabels(m),
          m.schools[0]?.slug ?? '',
          text(classifiedText(m.title, m.text)),
          m.classifier ?? '',
          who?.actor ?? '',
          who?.at.toISOString() ?? '',
        ];
        lines.push(row.map(cell).join('\t'));
        ids.push(m.id);
      }
    }
    const last = page.items[page.items.length - 1];
    if (!page.nextCursor || !last) break;
    cursor = { publishedAt: new Date(last.publishedAt), id: last.id };
  }
  return { tsv: lines.join('\n') + '\n', count: lines.length - 1, ids };
}
