// A few sentences of plain Dutch written from the overview's numbers, for the top of the Overzicht
// page and of the monthly report ("Meer negatieve berichten over lesuitval dan vorige periode (14
// tegen 6); 4 van 5 gesprekken gevoerd; geen onjuistheden open."). Counts and themes only. Pure.

type Figures = {
  totals: {
    mentions: number;
    negative: number;
    negativeShare: number;
    previousMentions: number;
    previousNegative: number;
    previousNegativeShare: number;
  };
  themes: {
    negative: { label: string; mentions: number; before: number }[];
    positive: { label: string; mentions: number }[];
  };
  followUp: {
    perSchool: { conversationsDue: number; conversationsDone: number; overdue: number; correctionsWaiting: number }[];
    byType: { type: string; due: number; open: number; overdue: number }[];
    correctionsPosted: number;
  };
  coverage: { failing: number; healthy: number };
  markers: { spikes: unknown[] };
};

const pct = (n: number) => `${String(n).replace('.', ',')}%`;
const posts = (n: number) => (n === 1 ? '1 bericht' : `${n} berichten`);

export function summarise(f: Figures): string[] {
  const out: string[] = [];
  const t = f.totals;
  if (!t.mentions && !t.previousMentions) out.push('Geen berichten in deze periode en de periode ervoor.');
  else {
    const more = t.mentions > t.previousMentions ? 'Meer' : t.mentions < t.previousMentions ? 'Minder' : 'Evenveel';
    out.push(`${more} berichten dan de vorige periode (${t.mentions} tegen ${t.previousMentions}).`);
    if (t.mentions) {
      const trend =
        t.negativeShare > t.previousNegativeShare + 2
          ? ', meer dan'
          : t.negativeShare < t.previousNegativeShare - 2
            ? ', minder dan'
            : ', ongeveer als';
      out.push(
        `${pct(t.negativeShare)} was negatief (${posts(t.negative)})${trend} de vorige periode (${pct(t.previousNegativeShare)}).`,
      );
    }
  }
  const theme = f.themes.negative[0];
  if (theme)
    out.push(
      `Meer negatieve berichten over ${theme.label} dan daarvoor (${theme.mentions} tegen ${theme.before} in de weken ervoor).`,
    );
  const good = f.themes.positive[0];
  if (good) out.push(`Positief besproken: ${good.label} (${posts(good.mentions)}).`);
  if (f.markers.spikes.length)
    out.push(
      f.markers.spikes.length === 1
        ? 'Eén keer dreigde de online discussie te ontsporen.'
        : `${f.markers.spikes.length} keer dreigde de online discussie te ontsporen.`,
    );
  const due = f.followUp.perSchool.reduce((a, s) => a + s.conversationsDue, 0);
  const done = f.followUp.perSchool.reduce((a, s) => a + s.conversationsDone, 0);
  if (due) out.push(`${done} van ${due} ${due === 1 ? 'gesprek' : 'gesprekken'} in real life gevoerd.`);
  const overdue = f.followUp.perSchool.reduce((a, s) => a + s.overdue, 0);
  if (overdue) out.push(overdue === 1 ? '1 actie is te laat.' : `${overdue} acties zijn te laat.`);
  const corr = f.followUp.byType.find((b) => b.type === 'correct_online');
  const openCorrections = (corr?.open ?? 0) + f.followUp.perSchool.reduce((a, s) => a + s.correctionsWaiting, 0);
  out.push(
    openCorrections
      ? `${openCorrections} ${openCorrections === 1 ? 'onjuistheid' : 'onjuistheden'} nog niet rechtgezet.`
      : f.followUp.correctionsPosted
        ? `${f.followUp.correctionsPosted} ${f.followUp.correctionsPosted === 1 ? 'onjuistheid' : 'onjuistheden'} rechtgezet; geen open.`
        : 'Geen onjuistheden open.',
  );
  if (f.coverage.failing)
    out.push(
      `Let op: ${f.coverage.failing} ${f.coverage.failing === 1 ? 'bron gaf' : 'bronnen gaven'} fouten; het aantal berichten kan te laag zijn.`,
    );
  return out;
}
