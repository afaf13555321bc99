import type { ColumnType, Generated } from 'kysely';
import type { GuidancePart } from '../../workers/policy/types.ts';

// The tables of cases and what hangs off them (issue 6): cases with their mentions, checklist,
// history and correction draft; per-school contacts, points and calendar; mail settings and outbox.

type Created = ColumnType<Date, Date | string | undefined, never>;
type Json<T> = ColumnType<T, string, string>;

export type CaseState = 'nieuw' | 'in_behandeling' | 'afgerond' | 'geen_actie';
export const CASE_STATES: readonly CaseState[] = ['nieuw', 'in_behandeling', 'afgerond', 'geen_actie'];
export type OutcomeKind = 'gesprek_gevoerd' | 'verbeterpunt_opgepakt' | 'gecorrigeerd' | 'gedeeld' | 'doorverwezen' | 'geen_actie_nodig';
export const OUTCOME_KINDS: readonly OutcomeKind[] = ['gesprek_gevoerd', 'verbeterpunt_opgepakt', 'gecorrigeerd', 'gedeeld', 'doorverwezen', 'geen_actie_nodig'];
export type Severity = 'low' | 'medium' | 'high';
export type BreachStatus = 'mogelijk' | 'gemeld' | 'geen_datalek';

export interface CasesTable {
  id: Generated<string>;
  board_id: string;
  school_id: string;
  kind: 'concern' | 'good_news';
  state: ColumnType<CaseState, CaseState | undefined, CaseState>;
  severity: Severity;
  policy: string;
  policy_version: ColumnType<number | null, number | null | undefined, number | null>;
  assignee_id: string | null;
  due_at: Date;
  outcome_kind: OutcomeKind | null;
  outcome: string | null;
  topic_words: ColumnType<string[], string[] | undefined, string[]>;
  thread_keys: ColumnType<string[], string[] | undefined, string[]>;
  last_mention_at: Date;
  breach_status: BreachStatus | null;
  breach_reported_at: Date | null;
  created_at: Created;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  closed_at: Date | null;
}

export interface CaseMentionsTable {
  case_id: string;
  mention_id: string;
  added_at: Created;
}

export type ActionStatus = 'open' | 'gedaan' | 'niet_nodig';
export interface CaseActionsTable {
  id: Generated<string>;
  case_id: string;
  type: string;
  article: string;
  basis: string;
  rule: string;
  roles: string[];
  guidance: string;
  parts: ColumnType<GuidancePart[], string | undefined, string>;
  points: Json<string[]>;
  facts: Json<string[]>;
  due_at: Date;
  status: ColumnType<ActionStatus, ActionStatus | undefined, ActionStatus>;
  done_by: string | null;
  done_at: Date | null;
}

export interface CaseEventsTable {
  id: Generated<string>;
  case_id: string;
  user_id: string | null;
  actor: string;
  kind: string;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
  created_at: Created;
}

export type DraftState = 'concept' | 'goedgekeurd' | 'afgewezen' | 'geplaatst';
export interface CorrectionDraftsTable {
  id: Generated<string>;
  case_id: string;
  mention_id: string | null;
  text: string;
  state: ColumnType<DraftState, DraftState | undefined, DraftState>;
  drafted_by: string;
  decided_by: string | null;
  decided_at: Date | null;
  reason: string | null;
  posted_by: string | null;
  posted_at: Date | null;
  created_at: Created;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface SchoolContactsTable {
  id: Generated<string>;
  school_id: string;
  role: string;
  name: string;
  email: string | null;
  phone: string | null;
  created_at: Created;
}

export interface SchoolPointsTable {
  id: Generated<string>;
  school_id: string;
  case_id: string | null;
  kind: 'sterk' | 'verbeter';
  text: string;
  created_by: string;
  created_at: Created;
}

export type MailSecurity = 'tls' | 'starttls' | 'none';
export interface MailSettingsTable {
  board_id: string;
  host: string;
  port: number;
  security: ColumnType<MailSecurity, MailSecurity | undefined, MailSecurity>;
  username: string | null;
  password: string | null;
  from_address: string;
  dashboard_url: string;
  digest_hour: ColumnType<number, number | undefined, number>;
  last_digest_on: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface NotificationsTable {
  id: Generated<string>;
  board_id: string;
  case_id: string | null;
  kind: 'alert' | 'digest' | 'test';
  recipients: string[];
  subject: string;
  body: string;
  state: ColumnType<'pending' | 'sent' | 'failed', 'pending' | 'sent' | 'failed' | undefined, 'pending' | 'sent' | 'failed'>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  send_after: ColumnType<Date, Date | undefined, Date>;
  sent_at: Date | null;
  created_at: Created;
}

export type CalendarKind = 'vakantie' | 'toetsweek' | 'rapportweek' | 'evenement';
export interface SchoolCalendarTable {
  id: Generated<string>;
  school_id: string;
  kind: CalendarKind;
  label: string;
  // dates as 'YYYY-MM-DD' (read with to_char), never as a JS Date
  starts_on: string;
  ends_on: string;
  created_at: Created;
}

// A board's adjusted protocol, one immutable row per change (sql/0010_policy_versions.sql).
export interface PolicyVersionsTable {
  board_id: string;
  version: number;
  preset_id: string;
  preset: Json<unknown>;
  note: string;
  changes: Json<string[]>;
  created_by: string | null;
  created_by_name: string;
  created_at: Created;
}

export type Region = 'noord' | 'midden' | 'zuid';
export const REGIONS: readonly Region[] = ['noord', 'midden', 'zuid'];
export interface BoardCalendarTable {
  id: Generated<string>;
  board_id: string;
  region: Region | null;
  kind: CalendarKind;
  label: string;
  starts_on: string;
  ends_on: string;
  created_at: Created;
}
