import type { RiskType } from '../../workers/classify/types.ts';

// The domain types of columns: what the database's check constraints and JSON shapes allow, named
// for the code. server/db/generated.ts (from the migrated schema) uses them for those columns.

export type Role = 'communicatie' | 'directie' | 'privacy' | 'beheer';
export const ROLES: readonly Role[] = ['communicatie', 'directie', 'privacy', 'beheer'];
export type MediaItem = { type: 'image' | 'video' | 'audio' | 'other'; url: string; alt?: string };
export type Origin = 'collected' | 'reported' | 'manual';
export type MatchSpan = { field: 'title' | 'text'; start: number; end: number };
export type SentimentValue = 'positive' | 'neutral' | 'negative';
export type CorrectionField = 'sentiment' | RiskType;
export type CorrectionValue = SentimentValue | 'present' | 'absent';
export type CaseState = 'nieuw' | 'in_behandeling' | 'afgerond' | 'geen_actie';
export const CASE_STATES: readonly CaseState[] = ['nieuw', 'in_behandeling', 'afgerond', 'geen_actie'];
export type CaseKind = 'concern' | 'good_news';
export type OutcomeKind =
  'gesprek_gevoerd' | 'verbeterpunt_opgepakt' | 'gecorrigeerd' | 'gedeeld' | 'doorverwezen' | 'geen_actie_nodig';
export const OUTCOME_KINDS: readonly OutcomeKind[] = [
  'gesprek_gevoerd',
  'verbeterpunt_opgepakt',
  'gecorrigeerd',
  'gedeeld',
  'doorverwezen',
  'geen_actie_nodig',
];
export type Severity = 'low' | 'medium' | 'high';
export type BreachStatus = 'mogelijk' | 'gemeld' | 'geen_datalek';
export type ActionStatus = 'open' | 'gedaan' | 'niet_nodig';
export type DraftState = 'concept' | 'goedgekeurd' | 'afgewezen' | 'geplaatst';
export type PointKind = 'sterk' | 'verbeter';
export type MailSecurity = 'tls' | 'starttls' | 'none';
export type NotificationKind = 'alert' | 'digest' | 'test' | 'report';
export type NotificationState = 'pending' | 'sent' | 'failed';
export type CalendarKind = 'vakantie' | 'toetsweek' | 'rapportweek' | 'evenement';
export type Region = 'noord' | 'midden' | 'zuid';
export const REGIONS: readonly Region[] = ['noord', 'midden', 'zuid'];
