import type { CaseDetail } from '../db/caseTypes.ts';
import { ACTION_NAMES, ROLE_NAMES } from '../../workers/policy/labels.ts';
import { dutchDateTime } from '../../workers/time.ts';
import { escapeHtml } from './escape.ts';

// A case as a dossier record for the personnel or pupil file (the protocols ask that correspondence
// is kept there): what was seen, when, what the protocol asked, what was decided and done, by whom.
// A standalone page that prints well; every value is escaped, since posts are attacker-written.

const esc = escapeHtml;
const when = (iso: string | null) => (iso ? dutchDateTime(new Date(iso)) : '—');

const STATE: Record<string, string> = {
  nieuw: 'Nieuw',
  in_behandeling: 'In behandeling',
  afgerond: 'Afgerond',
  geen_actie: 'Geen actie',
};
const ACTION = ACTION_NAMES as Record<string, string>;
const ROLE = ROLE_NAMES as Record<string, string>;
const STATUS: Record<string, string> = { open: 'open', gedaan: 'gedaan', niet_nodig: 'niet nodig' };
const OUTCOME: Record<string, string> = {
  gesprek_gevoerd: 'Gesprek gevoerd',
  verbeterpunt_opgepakt: 'Verbeterpunt opgepakt',
  gecorrigeerd: 'Gecorrigeerd',
  gedeeld: 'Gedeeld',
  doorverwezen: 'Doorverwezen',
  geen_actie_nodig: 'Geen actie nodig',
};

function eventLine(kind: string, d: Record<string, unknown>): string {
  switch (kind) {
    case 'created':
      return 'Zaak aangemaakt door Klankbord';
    case 'mention_added':
      return 'Bericht toegevoegd aan de discussie';
    case 'reopened':
      return 'Zaak heropend: nieuw bericht of correctie vraagt om actie';
    case 'state':
      return `Status: ${STATE[String(d.from)] ?? d.from} → ${STATE[String(d.to)] ?? d.to}${d.outcome ? ` — ${OUTCOME[String(d.outcomeKind)] ?? ''}: ${d.outcome}` : ''}`;
    case 'assigned':
      return d.to ? `Opgepakt door / toegewezen aan ${d.to}` : 'Niet meer toegewezen';
    case 'due':
      return `Nieuwe uiterste datum: ${when(String(d.to))}`;
    case 'note':
      return `Notitie: ${d.text}`;
    case 'action':
      return `${ACTION[String(d.type)] ?? d.type}: ${STATUS[String(d.status)] ?? d.status}`;
    case 'point':
      return `${d.kind === 'sterk' ? 'Sterk punt' : 'Verbeterpunt'}: ${d.text}`;
    case 'point_removed':
      return `Punt verwijderd: ${d.text}`;
    case 'breach':
      return d.status === 'gemeld'
        ? `Datalek gemeld bij de Autoriteit Persoonsgegevens (${when(String(d.reportedAt))})`
        : d.status === 'mogelijk'
          ? 'Mogelijk datalek: de gegevens kwamen uit de school'
          : 'Beoordeeld: geen datalek';
    case 'correction_drafted':
      return 'Concept-correctie opgesteld';
    case 'correction_edited':
      return `Concept-correctie aangepast: "${d.text}"`;
    case 'correction_approved':
      return `Correctie goedgekeurd door de directie: "${d.text}"`;
    case 'correction_rejected':
      return `Correctie afgewezen: ${d.reason}`;
    case 'correction_posted':
      return 'Correctie door een medewerker geplaatst';
    case 'spike':
      return d.reason === 'pace'
        ? 'Deze discussie groeit snel: opschalen (online communicatie dreigt te ontsporen)'
        : `Veel meer negatieve berichten dan gewoonlijk (${d.today} in 24 uur, normaal ${d.baseline} per dag): opschalen`;
    case 'alert':
      return `Melding per e-mail verstuurd aan ${d.count} persoon/personen`;
    default:
      return kind;
  }
}

export function dossierHtml(c: CaseDetail, board: string, printedBy: string, now = new Date()): string {
  const rows = (cells: string[][]) => cells.map((r) => `<tr>${r.map((x) => `<td>${x}</td>`).join('')}</tr>`).join('');
  return `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Dossier zaak ${esc(c.id)} — ${esc(c.school.name)}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;max-width:50rem;margin:2rem auto;color:#111}h1{font-size:1.4rem}h2{font-size:1.05rem;margin-top:1.6rem;border-bottom:1px solid #999}table{border-collapse:collapse;width:100%}td,th{border:1px solid #bbb;padding:.3rem .45rem;vertical-align:top;text-align:left}.meta td:first-child{width:12rem;font-weight:600}blockquote{margin:.3rem 0;padding:.3rem .6rem;border-left:3px solid #999;white-space:pre-wrap}small{color:#444}@media print{body{margin:0}}</style></head>
<body>
<h1>Dossier: zaak ${esc(c.id)} — ${esc(c.school.name)}</h1>
<p><small>${esc(board)} · afgedrukt op ${esc(when(now.toISOString()))} door ${esc(printedBy)} · beleid: ${esc(c.policy.name)}. Persoonsgegevens in berichten zijn gemaskeerd.</small></p>
<table class="meta">${rows([
    ['Status', esc(STATE[c.state])],
    ['Onderwerp', esc(c.headline)],
    ['Ernst', esc({ low: 'laag', medium: 'middel', high: 'hoog' }[c.severity])],
    ['Geopend', esc(when(c.createdAt))],
    ['Uiterlijk', esc(when(c.dueAt))],
    ['Behandelaar', esc(c.assignee?.name ?? '—')],
    ['Afgesloten', esc(when(c.closedAt))],
    ['Uitkomst', c.outcome ? `${esc(OUTCOME[c.outcomeKind ?? ''] ?? '')}: ${esc(c.outcome)}` : '—'],
    ...(c.breach
      ? [
          [
            'Datalek (72 uur)',
            `${esc(c.breach.status ?? 'niet beoordeeld')} · melden uiterlijk ${esc(when(c.breach.deadline))}`,
          ],
        ]
      : []),
  ])}</table>
<h2>Wat er online stond (${c.items.length})</h2>
${c.items.map((m) => `<p><strong>${esc(when(m.publishedAt))}</strong> · ${esc(m.source.name)}${m.url ? ` · ${esc(m.url)}` : ''}</p><blockquote>${m.title ? `${esc(m.title)}\n` : ''}${esc(m.text)}</blockquote>`).join('\n')}
<h2>Wat het protocol vraagt</h2>
<table><tr><th>Actie</th><th>Artikel</th><th>Wie</th><th>Status</th></tr>${rows(c.actions.map((a) => [esc(ACTION[a.type] ?? a.type), esc(a.article), esc([...a.roles.map((r) => ROLE[r] ?? r), ...a.people.map((p) => p.name)].join(', ')), esc(`${STATUS[a.status]}${a.doneBy ? ` (${a.doneBy}, ${when(a.doneAt)})` : ''}`)]))}</table>
${c.draft ? `<h2>Online correctie</h2><p>Status: ${esc(c.draft.state)}${c.draft.decidedBy ? ` · besloten door ${esc(c.draft.decidedBy)} op ${esc(when(c.draft.decidedAt))}` : ''}${c.draft.postedBy ? ` · geplaatst door ${esc(c.draft.postedBy)} op ${esc(when(c.draft.postedAt))}` : ''}</p><blockquote>${esc(c.draft.text)}</blockquote>` : ''}
${c.points.length ? `<h2>Punten voor de school</h2><ul>${c.points.map((p) => `<li>${p.kind === 'sterk' ? 'Sterk punt' : 'Verbeterpunt'}: ${esc(p.text)}</li>`).join('')}</ul>` : ''}
<h2>Verloop</h2>
<table><tr><th>Wanneer</th><th>Wie</th><th>Wat</th></tr>${rows(c.events.map((e) => [esc(when(e.at)), esc(e.actor), esc(eventLine(e.kind, e.details))]))}</table>
</body></html>`;
}
