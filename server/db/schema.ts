import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { CaseActionsTable, CaseEventsTable, CaseMentionsTable, CasesTable, CorrectionDraftsTable, MailSettingsTable, PolicyVersionsTable, BoardCalendarTable, Region, NotificationsTable, SchoolCalendarTable, SchoolContactsTable, SchoolPointsTable } from './caseSchema.ts';

import type { RiskType } from '../../workers/classify/types.ts';

type Created = ColumnType<Date, Date | string | undefined, never>;
type Json<T> = ColumnType<T, string, string>;

export interface BoardsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  policy: Generated<string>;
  // the board's current policy_versions row; null: the preset file as shipped
  policy_version: ColumnType<number | null, number | null | undefined, number | null>;
  is_demo: Generated<boolean>;
  exclusions: string | null;
  created_at: Created;
}

export interface SchoolsTable {
  id: Generated<string>;
  board_id: string;
  slug: string;
  name: string;
  aliases: Generated<string[]>;
  query: string | null;
  place: string | null;
  facts: Generated<string[]>;
  // the holiday region it follows (board_calendar); null when the board has not said
  region: ColumnType<Region | null, Region | null | undefined, Region | null>;
  created_at: Created;
}

export type Role = 'communicatie' | 'directie' | 'privacy' | 'beheer';
export const ROLES: readonly Role[] = ['communicatie', 'directie', 'privacy', 'beheer'];

export interface UsersTable {
  id: Generated<string>;
  board_id: string;
  email: string;
  name: Generated<string>;
  role: Role;
  password_hash: string;
  all_schools: Generated<boolean>;
  created_at: Created;
}

export interface UserSchoolsTable {
  user_id: string;
  school_id: string;
}

export interface SessionsTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  expires_at: Date;
  created_at: Created;
}

export interface SourcesTable {
  id: Generated<string>;
  board_id: string;
  school_id: string | null;
  kind: string;
  name: string;
  url: string | null;
  settings: ColumnType<Record<string, unknown>, string | undefined, string>;
  enabled: Generated<boolean>;
  interval_seconds: Generated<number>;
  next_check_at: ColumnType<Date, Date | undefined, Date>;
  lease_owner: string | null;
  lease_until: Date | null;
  error_count: Generated<number>;
  last_error: string | null;
  error_permanent: Generated<boolean>;
  notice: string | null;
  last_checked_at: Date | null;
  last_success_at: Date | null;
  etag: string | null;
  last_modified: string | null;
  state: ColumnType<Record<string, unknown>, string | undefined, string>;
  current_interval_seconds: number | null;
  created_at: Created;
}

export type MediaItem = { type: 'image' | 'video' | 'audio' | 'other'; url: string; alt?: string };
export type Origin = 'collected' | 'reported' | 'manual';

export interface MentionsTable {
  id: Generated<string>;
  board_id: string;
  source_id: string;
  external_id: string;
  url: string | null;
  title: Generated<string>;
  body: Generated<string>;
  author: string | null;
  published_at: Date;
  search_text: Generated<string>;
  author_handle: string | null;
  media: ColumnType<MediaItem[], string | undefined, string>;
  reply_to: string | null;
  thread_id: string | null;
  engagement: ColumnType<Record<string, number>, string | undefined, string>;
  origin: ColumnType<Origin, Origin | undefined, Origin>;
  story_key: string | null;
  story_id: string | null;
  created_at: Created;
}

export interface ReportsTable {
  mention_id: string;
  school_id: string;
  contact: string | null;
  screenshot_description: string | null;
  created_at: Created;
}

export interface ReportThrottleTable {
  key: string;
  at: ColumnType<Date, Date | undefined, never>;
}

export interface ApiQuotaTable {
  key_hash: string;
  day: ColumnType<string, string, string>;
  units: number;
}

export type MatchSpan = { field: 'title' | 'text'; start: number; end: number };

export interface MentionSchoolsTable {
  mention_id: string;
  school_id: string;
  matched: string[];
  spans: ColumnType<MatchSpan[], string | undefined, string>;
  active: Generated<boolean>;
}

export interface PreviewItemsTable {
  id: Generated<string>;
  board_id: string;
  source_id: string;
  external_id: string;
  item: ColumnType<Record<string, unknown>, string, string>;
  search_text: Generated<string>;
  created_at: Created;
}

export interface ClassificationsTable {
  id: Generated<string>;
  mention_id: string;
  classifier: string;
  language: string;
  sentiment: 'positive' | 'neutral' | 'negative';
  sentiment_score: number;
  risks: Json<unknown[]>;
  actions: Json<unknown[]>;
  sentiment_evidence: ColumnType<unknown[], string | undefined, string>;
  created_at: Created;
}

export type CorrectionField = 'sentiment' | RiskType;
export interface LabelCorrectionsTable {
  id: Generated<string>;
  mention_id: string;
  user_id: string | null;
  actor: string;
  field: CorrectionField;
  value: 'positive' | 'neutral' | 'negative' | 'present' | 'absent';
  previous: string | null;
  classifier: string | null;
  created_at: Created;
}

export interface AuditLogTable {
  id: Generated<string>;
  board_id: string | null;
  user_id: string | null;
  actor: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
  created_at: Created;
}

export * from './caseSchema.ts';

export interface Database {
  boards: BoardsTable;
  policy_versions: PolicyVersionsTable;
  board_calendar: BoardCalendarTable;
  schools: SchoolsTable;
  users: UsersTable;
  user_schools: UserSchoolsTable;
  sessions: SessionsTable;
  sources: SourcesTable;
  mentions: MentionsTable;
  mention_schools: MentionSchoolsTable;
  classifications: ClassificationsTable;
  label_corrections: LabelCorrectionsTable;
  audit_log: AuditLogTable;
  cases: CasesTable;
  case_mentions: CaseMentionsTable;
  case_actions: CaseActionsTable;
  case_events: CaseEventsTable;
  correction_drafts: CorrectionDraftsTable;
  school_contacts: SchoolContactsTable;
  school_points: SchoolPointsTable;
  mail_settings: MailSettingsTable;
  notifications: NotificationsTable;
  school_calendar: SchoolCalendarTable;
  reports: ReportsTable;
  report_throttle: ReportThrottleTable;
  api_quota: ApiQuotaTable;
  preview_items: PreviewItemsTable;
}

export type Source = Selectable<SourcesTable>;
export type School = Selectable<SchoolsTable>;
export type User = Selectable<UsersTable>;
export type NewMention = Insertable<MentionsTable>;
