// The text of alert and digest e-mails. Pure functions. On purpose they carry nothing from the
// posts themselves (no text, no names, no headline): only the school, what the protocol asks and
// a link into the dashboard, where access is checked and every look is logged.

import { actionName } from '../policy/labels.ts';
import { dutchDay } from '../time.ts';

const day = dutchDay;
export const caseLink = (dashboardUrl: string, caseId: string) =>
  `${dashboardUrl.replace(/\/+$/, '')}/#/acties/${caseId}`;

export type AlertInput = {
  caseId: string;
  school: string;
  actions: { type: string; article: string }[];
  policy: string;
  dashboardUrl: string;
};

export function alertMessage(a: AlertInput): { subject: string; body: string } {
  const first = a.actions[0];
  return {
    subject: `[Klankbord] Dringend: ${actionName(first?.type ?? '')} — ${a.school} (zaak ${a.caseId})`,
    body: [
      'Goedendag,',
      '',
      `Klankbord heeft online iets gevonden over ${a.school} waarvoor het protocol (${a.policy}) vraagt om snel te handelen:`,
      '',
      ...a.actions.map((x) => `- ${actionName(x.type)} (${x.article})`),
      '',
      `Bekijk de zaak en wat er van u gevraagd wordt: ${caseLink(a.dashboardUrl, a.caseId)}`,
      '',
      'Deze e-mail bevat bewust niets uit het bericht zelf: geen tekst en geen namen. Reageer niet online op het bericht.',
      '',
      '— Klankbord',
    ].join('\n'),
  };
}

export type DigestCase = { id: string; school: string; top: string; dueAt: Date; overdue: boolean };

export function digestMessage(
  board: string,
  fresh: DigestCase[],
  overdue: DigestCase[],
  open: number,
  dashboardUrl: string,
  today: Date,
): { subject: string; body: string } {
  const line = (c: DigestCase) =>
    `- Zaak ${c.id} · ${c.school} · ${actionName(c.top)} · ${c.overdue ? 'te laat sinds' : 'uiterlijk'} ${day(c.dueAt)} — ${caseLink(dashboardUrl, c.id)}`;
  return {
    subject: `[Klankbord] Dagoverzicht ${day(today)}: ${fresh.length} nieuw, ${overdue.length} te laat`,
    body: [
      `Goedemorgen,`,
      '',
      `Dit is het dagoverzicht van Klankbord voor ${board}.`,
      '',
      `Nieuw sinds gisteren (${fresh.length}):`,
      ...(fresh.length ? fresh.map(line) : ['- niets nieuws']),
      '',
      `Te laat (${overdue.length}):`,
      ...(overdue.length ? overdue.map(line) : ['- niets te laat']),
      '',
      `Open zaken in totaal: ${open}. Alles op een rij: ${dashboardUrl.replace(/\/+$/, '')}/#/acties`,
      '',
      'Deze e-mail bevat bewust niets uit de berichten zelf; de inhoud staat in Klankbord.',
      '',
      '— Klankbord',
    ].join('\n'),
  };
}

// The monthly report's mail: the summary in the body, the whole report as the attached PDF.
export function reportMessage(r: { monthName: string; scope: string; summary: string[]; reportUrl: string }): {
  subject: string;
  body: string;
} {
  return {
    subject: `[Klankbord] Maandrapport ${r.monthName} — ${r.scope}`,
    body: [
      'Goedendag,',
      '',
      `In de bijlage het maandrapport van ${r.monthName} voor ${r.scope}. In het kort:`,
      '',
      ...r.summary.map((s) => `- ${s}`),
      '',
      `Het rapport in Klankbord: ${r.reportUrl}`,
      '',
      'Alleen aantallen, thema’s en punten: geen berichten en geen namen. U krijgt deze e-mail omdat u het maandrapport aanzette op uw accountpagina in Klankbord; daar zet u het ook weer uit.',
      '',
      '— Klankbord',
    ].join('\n'),
  };
}
