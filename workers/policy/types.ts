import type { RiskType, SentimentLabel } from '../classify/types.ts';

// remind_staff: a post by a staff member about the school; the leidinggevende checks it against
// what the protocol asks of staff who post (say you work there, personal opinion, nothing confidential).
export type ActionType =
  | 'amplify'
  | 'monitor'
  | 'real_life'
  | 'correct_online'
  | 'reply_online'
  | 'escalate'
  | 'remove_personal_data'
  | 'check_consent'
  | 'remind_staff'
  | 'report_police'
  | 'notify_inspector'
  | 'meldcode';
export const ACTION_TYPES: readonly ActionType[] = [
  'amplify',
  'monitor',
  'real_life',
  'correct_online',
  'reply_online',
  'escalate',
  'remove_personal_data',
  'check_consent',
  'remind_staff',
  'report_police',
  'notify_inspector',
  'meldcode',
];
// Most serious first: the action that names a case on the board, and the order of the
// board's filter on prompt type (web/src/pages/Cases.svelte, without 'monitor').
export const SERIOUSNESS: readonly ActionType[] = [
  'report_police',
  'meldcode',
  'notify_inspector',
  'remove_personal_data',
  'escalate',
  'correct_online',
  'reply_online',
  'real_life',
  'check_consent',
  'remind_staff',
  'amplify',
  'monitor',
];
// The actions that mean a response on the platform itself: a factual correction, and (only where a
// protocol allows it, obs Meander art. 8) a reply from the school account. Both are drafted,
// approved by a person and posted by a person; Klankbord never posts.
export const ONLINE_ACTIONS: readonly ActionType[] = ['correct_online', 'reply_online'];

// Where a rule or a sentence of guidance comes from: the protocol (with its article), the law (with
// the article of law), Klankbord's own advice (shown as "Advies van Klankbord, niet uit het
// protocol"), or the board's own text (a part a board wrote or changed in the editor).
export type Basis = 'protocol' | 'law' | 'advice' | 'board';
export const BASES: readonly Basis[] = ['protocol', 'law', 'advice', 'board'];
export type GuidancePart = { basis: Basis; article?: string; text: string };

// Dutch school roles a prompt can address (people per role are kept per school in settings).
export type SchoolRole =
  | 'communicatie'
  | 'directie'
  | 'leidinggevende'
  | 'teamleider'
  | 'mentor'
  | 'anti_pest'
  | 'vertrouwenspersoon'
  | 'privacy'
  | 'bestuur';
export const SCHOOL_ROLES: readonly SchoolRole[] = [
  'communicatie',
  'directie',
  'leidinggevende',
  'teamleider',
  'mentor',
  'anti_pest',
  'vertrouwenspersoon',
  'privacy',
  'bestuur',
];

// When a rule applies. Every listed condition must hold; a rule without conditions never applies.
export type When = {
  sentiment?: SentimentLabel[];
  risks?: RiskType[]; // at least one of these risk types
  notRisks?: RiskType[]; // none of these
  notWords?: string[]; // none of these phrases (e.g. a post about a person rather than the school)
  noRisks?: boolean; // no risk at all
  minSeverity?: 'low' | 'medium' | 'high'; // of the risks named in `risks`
  subtypes?: string[]; // personal-data subtypes, e.g. health, name
  media?: boolean; // the post carries photos or video
  sources?: string[]; // source kinds, e.g. report (meldpunt)
  words?: string[]; // phrases (classifier phrase syntax) in the text
};

export type RuleAction = { type: ActionType; roles: SchoolRole[]; dueDays: number; guidance: GuidancePart[] };

export type Rule = {
  id: string;
  title: string; // what the rule is about, in Dutch ("Onjuistheid over de school")
  // Why the rule exists: the protocol article it implements ("Profilering c"), a legal duty the
  // protocol does not spell out (`law`, with the article of law), or Klankbord's advice (`advice`,
  // no article). `locked`: the protocol makes it a duty (the school *zal* aangifte doen), so a board
  // cannot switch it off or drop its actions, just like a rule from the law.
  basis: 'protocol' | 'law' | 'advice';
  article?: string;
  locked?: boolean;
  when: When;
  actions: RuleAction[];
};

export type SpikeRule = {
  basis: 'protocol' | 'advice';
  article?: string;
  roles: SchoolRole[];
  dueDays: number;
  guidance: GuidancePart[];
};
export type Preset = {
  id: string;
  name: string;
  source: string;
  description: string;
  stance?: GuidancePart;
  spike: SpikeRule;
  rules: Rule[];
};

// What the engine decides for one mention: each action once, from the first rule that gives it.
// `guidance` is the parts' text in one string (mail, dossier, older clients); `parts` keep each
// sentence's basis.
export type Action = Omit<RuleAction, 'guidance'> & {
  guidance: string;
  parts: GuidancePart[];
  article: string;
  basis: 'protocol' | 'law' | 'advice';
  rule: string;
  due: string;
  points?: string[];
  facts?: string[];
};

export const guidanceText = (parts: GuidancePart[]) => parts.map((p) => p.text).join(' ');

// A mention's prompts as its labels store them (classifications.actions): `guidance` is left out where
// the parts hold it, for it is their text once more (about a third of a post's stored labels), and put
// back on reading. Prompts stored before guidance had parts keep their one string.
export type StoredAction = Omit<Action, 'guidance'> & { guidance?: string };
export const storedActions = (actions: Action[]): StoredAction[] =>
  actions.map(({ guidance, ...a }) => (a.parts?.length ? a : { ...a, guidance }));
export const actionsFromStore = (stored: StoredAction[]): Action[] =>
  stored.map((a) => ({ ...a, guidance: a.guidance ?? guidanceText(a.parts ?? []) }));
