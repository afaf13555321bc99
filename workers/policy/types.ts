import type { RiskType, SentimentLabel } from '../classify/types.ts';

export type ActionType = 'amplify' | 'monitor' | 'real_life' | 'correct_online' | 'escalate' | 'remove_personal_data' | 'check_consent' | 'report_police' | 'notify_inspector' | 'meldcode';
export const ACTION_TYPES: readonly ActionType[] = ['amplify', 'monitor', 'real_life', 'correct_online', 'escalate', 'remove_personal_data', 'check_consent', 'report_police', 'notify_inspector', 'meldcode'];
// The only action that means a reply on the platform itself.
export const ONLINE_ACTIONS: readonly ActionType[] = ['correct_online'];

// Dutch school roles a prompt can address (people per role are kept per school in settings).
export type SchoolRole = 'communicatie' | 'directie' | 'leidinggevende' | 'teamleider' | 'mentor' | 'anti_pest' | 'vertrouwenspersoon' | 'privacy' | 'bestuur';
export const SCHOOL_ROLES: readonly SchoolRole[] = ['communicatie', 'directie', 'leidinggevende', 'teamleider', 'mentor', 'anti_pest', 'vertrouwenspersoon', 'privacy', 'bestuur'];

// When a rule applies. Every listed condition must hold; a rule without conditions never applies.
export type When = {
  sentiment?: SentimentLabel[];
  risks?: RiskType[]; // at least one of these risk types
  notRisks?: RiskType[]; // none of these
  noRisks?: boolean; // no risk at all
  minSeverity?: 'low' | 'medium' | 'high'; // of the risks named in `risks`
  subtypes?: string[]; // personal-data subtypes, e.g. health, name
  media?: boolean; // the post carries photos or video
  sources?: string[]; // source kinds, e.g. report (meldpunt)
  words?: string[]; // phrases (classifier phrase syntax) in the text
};

export type RuleAction = { type: ActionType; roles: SchoolRole[]; dueDays: number; guidance: string };

export type Rule = {
  id: string;
  title: string; // what the rule is about, in Dutch ("Onjuistheid over de school")
  // The protocol article it implements ("Profilering c"); `basis: law` marks a legal duty the
  // protocol itself does not spell out (the Meldcode, a criminal threat).
  article: string;
  basis?: 'protocol' | 'law';
  when: When;
  actions: RuleAction[];
};

export type SpikeRule = { article: string; roles: SchoolRole[]; dueDays: number; guidance: string };
export type Preset = { id: string; name: string; source: string; description: string; spike: SpikeRule; rules: Rule[] };

// What the engine decides for one mention: each action once, from the first rule that gives it.
export type Action = RuleAction & { article: string; basis: 'protocol' | 'law'; rule: string; due: string; points?: string[]; facts?: string[] };
