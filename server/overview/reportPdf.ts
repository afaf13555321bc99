import PDFDocument from 'pdfkit';
import { dutchDay } from '../../workers/time.ts';
import type { MonthlyReport } from './monthlyReport.ts';

// The monthly report as an A4 PDF, made on the server with pdfkit and its built-in Helvetica, so no
// font files ship with Klankbord. Those fonts only know WinAnsi (Latin-1 plus a few signs such as
// "—", "€" and curly quotes); anything else is spelled out or stripped of its accent first (winAnsi).
// Counts, themes and points only, as the report itself: no post and no person.

const MARGIN = 50;
const DARK = '#13294b';
const MUTED = '#555555';

const CP1252_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
const SPELLED: Record<string, string> = {
  '→': '->',
  '←': '<-',
  '≥': '>=',
  '≤': '<=',
  '−': '-',
  '‐': '-',
  '‑': '-',
  ł: 'l',
  Ł: 'L',
  ı: 'i',
};

export function winAnsi(s: string): string {
  return s.normalize('NFC').replace(/[^\n\x20-\x7e\xa0-\xff]/gu, (ch) => {
    if (CP1252_EXTRA.includes(ch)) return ch;
    if (SPELLED[ch]) return SPELLED[ch];
    const bare = ch.normalize('NFKD').replace(/[^\x20-\x7e]/g, '');
    return bare || '?';
  });
}

type Column = { title: string; width: number; align?: 'left' | 'right' };

export function reportPdf(r: MonthlyReport): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: {
      Title: winAnsi(`Maandrapport ${r.monthName} — ${r.scope}`),
      Author: 'Klankbord',
      CreationDate: new Date(r.generatedAt),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN;
  const room = (h: number) => {
    if (doc.y + h > bottom()) doc.addPage();
  };
  const text = (s: string, o: PDFKit.Mixins.TextOptions = {}) => doc.text(winAnsi(s), MARGIN, doc.y, { width, ...o });
  const heading = (s: string) => {
    room(80);
    doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).fillColor(DARK);
    text(s);
    doc.moveDown(0.3).font('Helvetica').fontSize(10).fillColor('black');
  };
  const table = (cols: Column[], rows: string[][]) => {
    const row = (cells: string[], bold: boolean) => {
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(10);
      const h = Math.max(...cells.map((c, i) => doc.heightOfString(winAnsi(c), { width: cols[i].width - 6 }))) + 4;
      room(h);
      const y = doc.y;
      let x = MARGIN;
      cells.forEach((c, i) => {
        doc.text(winAnsi(c), x, y + 2, { width: cols[i].width - 6, align: cols[i].align ?? 'left' });
        x += cols[i].width;
      });
      doc.y = y + h;
      doc
        .moveTo(MARGIN, doc.y)
        .lineTo(MARGIN + width, doc.y)
        .lineWidth(bold ? 0.8 : 0.3)
        .strokeColor(bold ? DARK : '#bbbbbb')
        .stroke();
    };
    row(
      cols.map((c) => c.title),
      true,
    );
    for (const r of rows) row(r, false);
    doc.font('Helvetica').fontSize(10);
  };
  const list = (items: string[], empty: string) => {
    if (!items.length) return text(empty, { continued: false });
    for (const i of items) text(`•  ${i}`, { indent: 0 });
  };

  doc.font('Helvetica-Bold').fontSize(18).fillColor(DARK);
  text(`Maandrapport ${r.monthName} — ${r.scope}`);
  doc.font('Helvetica').fontSize(9).fillColor(MUTED);
  text(
    `Vergeleken met ${r.previousMonthName}. Gemaakt op ${dutchDay(new Date(r.generatedAt))} door Klankbord. ` +
      'Alleen aantallen, thema’s en punten: geen berichten en geen namen.',
  );
  doc.fillColor('black');

  heading('Samenvatting');
  for (const s of r.summary) text(s, { paragraphGap: 3 });

  heading('Kerncijfers');
  table(
    [
      { title: '', width: width - 200 },
      { title: r.monthName, width: 100, align: 'right' },
      { title: r.previousMonthName, width: 100, align: 'right' },
    ],
    r.figures.map((f) => [f.label, String(f.now), String(f.before)]),
  );

  heading('Thema’s');
  const themes = (t: { label: string; mentions: number }[]) => t.map((x) => `${x.label} (${x.mentions})`);
  doc.font('Helvetica-Bold');
  text('Vaker negatief dan gewoonlijk');
  doc.font('Helvetica');
  list(themes(r.themes.negative), 'Geen opvallende negatieve thema’s.');
  doc.moveDown(0.4).font('Helvetica-Bold');
  text('Positief besproken');
  doc.font('Helvetica');
  list(themes(r.themes.positive), 'Geen opvallende positieve thema’s.');

  const points = (ps: { school: string; text: string }[]) =>
    ps.map((p) => (r.perSchool.length ? `${p.school}: ${p.text}` : p.text));
  heading('Goede punten');
  list(points(r.points.good), 'Deze maand geen goede punten vastgelegd.');
  heading('Verbeterpunten');
  list(points(r.points.improve), 'Deze maand geen verbeterpunten vastgelegd.');

  if (r.perSchool.length) {
    heading('Per school');
    table(
      [
        { title: 'School', width: width - 320 },
        { title: 'Berichten', width: 65, align: 'right' },
        { title: 'Negatief', width: 60, align: 'right' },
        { title: 'Acties', width: 55, align: 'right' },
        { title: 'Over tijd', width: 60, align: 'right' },
        { title: 'Gesprekken', width: 80, align: 'right' },
      ],
      r.perSchool.map((s) => [
        s.name,
        String(s.mentions),
        `${String(s.negativeShare).replace('.', ',')}%`,
        String(s.promptsDue),
        String(s.overdue),
        s.conversations,
      ]),
    );
  }

  heading('Dekking');
  const c = r.coverage;
  text(
    `${c.healthy} ${c.healthy === 1 ? 'bron werkte' : 'bronnen werkten'} in ${r.monthName}` +
      (c.failing
        ? `; ${c.failing} ${c.failing === 1 ? 'bron gaf' : 'bronnen gaven'} fouten, dus het aantal berichten kan te laag zijn`
        : '') +
      (c.paused ? `; ${c.paused} gepauzeerd` : '') +
      '.',
  );

  const pages = doc.bufferedPageRange();
  for (let i = 0; i < pages.count; i++) {
    doc.switchToPage(pages.start + i);
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(8).fillColor(MUTED);
    doc.text(
      winAnsi(`Klankbord · maandrapport ${r.monthName} · pagina ${i + 1} van ${pages.count}`),
      MARGIN,
      doc.page.height - MARGIN + 15,
      { width, align: 'center', lineBreak: false },
    );
  }
  doc.end();
  return done;
}
