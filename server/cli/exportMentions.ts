import { audit } from '../db/audit.ts';
import { boardBySlug } from '../db/boards.ts';
import { schoolSlugsOfBoard } from '../db/schools.ts';
import { listMentions } from '../db/mentions.ts';
import type { MentionItem } from '../db/mentionTypes.ts';
import { UsageError, parse, type Command } from './args.ts';
import { println } from './io.ts';
import { cliActor, onlyBoard } from './admin.ts';
import { openReady } from './runtime.ts';

const CSV_COLUMNS = [
  'id',
  'published_at',
  'schools',
  'source_kind',
  'source_name',
  'url',
  'title',
  'text',
  'author',
  'language',
  'sentiment',
  'sentiment_score',
  'risks',
] as const;

// Cells that start with = + - @ are formulas to a spreadsheet; mention text is written by anyone.
function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(m: MentionItem): string {
  const values = [
    m.id,
    m.publishedAt,
    m.schools.map((s) => s.slug).join(' '),
    m.source.kind,
    m.source.name,
    m.url,
    m.title,
    m.text,
    m.author,
    m.language,
    m.sentiment?.label,
    m.sentiment?.score,
    m.risks.length ? JSON.stringify(m.risks) : '',
  ];
  return values.map(csvCell).join(',');
}

export const exportMentionsCmd: Command = {
  summary: 'exporteer vermeldingen als JSON Lines of CSV',
  usage: `klankbord export-mentions --format jsonl|csv [--board slug] [--since YYYY-MM-DD]

Schrijft de vermeldingen van een bestuur (nieuwste eerst) naar stdout. De export wordt in het
auditlog vastgelegd.`,
  async run(argv, io) {
    const { values } = parse(argv, {
      format: { type: 'string' },
      board: { type: 'string' },
      since: { type: 'string' },
    });
    if (values.help) return (println(io.stdout, this.usage), 0);
    if (values.format !== 'jsonl' && values.format !== 'csv') throw new UsageError('--format moet jsonl of csv zijn');
    const since = values.since ? new Date(values.since) : undefined;
    if (since && Number.isNaN(since.getTime())) throw new UsageError(`Ongeldige datum bij --since: ${values.since}`);
    const conn = await openReady(io);
    try {
      const db = conn.db;
      const slug = values.board ?? (await onlyBoard(db));
      const board = await boardBySlug(db, slug);
      if (!board) throw new UsageError(`Bestuur "${slug}" bestaat niet`);
      const schoolIds = (await schoolSlugsOfBoard(db, board.id)).map((s) => s.id);
      const out = io.stdout;
      if (values.format === 'csv') out.write(CSV_COLUMNS.join(',') + '\n');
      let cursor: { publishedAt: Date; id: string } | undefined;
      let count = 0;
      for (;;) {
        const page = await listMentions(db, { boardId: board.id, schoolIds, since, cursor, limit: 500 });
        for (const m of page.items) out.write((values.format === 'csv' ? csvRow(m) : JSON.stringify(m)) + '\n');
        count += page.items.length;
        const last = page.items[page.items.length - 1];
        if (!page.nextCursor || !last) break;
        cursor = { publishedAt: new Date(last.publishedAt), id: last.id };
      }
      await audit(db, {
        boardId: board.id,
        actor: cliActor(),
        action: 'export.mentions',
        targetType: 'board',
        targetId: board.id,
        details: { format: values.format, since: values.since ?? null, count },
      });
      io.stderr.write(`${count} ${count === 1 ? 'bericht' : 'berichten'} geëxporteerd.\n`);
      return 0;
    } finally {
      await conn.close();
    }
  },
};
