import type { ActionType, Basis, SchoolRole } from './types.ts';

// Dutch names of action types and school roles, for texts that leave the dashboard (mail, dossier,
// the policy's change history). The dashboard has its own catalogues (web/src/lib/messages).
export const ACTION_NAMES: Record<ActionType, string> = {
  amplify: 'Delen of bedanken via eigen kanalen',
  monitor: 'Niets te doen',
  real_life: 'In real life in gesprek',
  correct_online: 'Feitelijke correctie online',
  reply_online: 'Antwoord vanaf het schoolaccount',
  escalate: 'Opschalen',
  remove_personal_data: 'Persoonsgegevens laten verwijderen',
  check_consent: 'Toestemming voor beelden nagaan',
  remind_staff: 'Medewerker wijzen op het protocol',
  report_police: 'Politie: aangifte of melding',
  notify_inspector: 'Landelijke Vertrouwensinspecteur',
  meldcode: 'Meldcode volgen',
};
export const ROLE_NAMES: Record<SchoolRole, string> = {
  communicatie: 'communicatie',
  directie: 'directeur',
  leidinggevende: 'leidinggevende',
  teamleider: 'teamleider',
  mentor: 'mentor / leerkracht',
  anti_pest: 'anti-pestcoördinator',
  vertrouwenspersoon: 'vertrouwenspersoon',
  privacy: 'privacy officer (FG)',
  bestuur: 'bestuur',
};
export const actionName = (type: string) => ACTION_NAMES[type as ActionType] ?? type;
export const roleName = (role: string) => ROLE_NAMES[role as SchoolRole] ?? role;

// "protocol, Sancties en gevolgen 5", "de wet (Meldcode …)", "advies van Klankbord".
export const BASIS_NAMES: Record<Basis, string> = {
  protocol: 'het protocol',
  law: 'de wet',
  advice: 'advies van Klankbord, niet uit het protocol',
  board: 'eigen tekst van het bestuur',
};
export const basisName = (p: { basis: Basis; article?: string }) =>
  p.article ? `${BASIS_NAMES[p.basis]} (${p.article})` : BASIS_NAMES[p.basis];
