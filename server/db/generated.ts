// Generated from the migrated schema by `npm run db:types` (server/db/codegen.ts). Do not edit.

import type { MaskSpan } from "../../workers/classify/types.ts";
import type { GuidancePart } from "../../workers/policy/types.ts";
import type { ActionStatus, BreachStatus, CalendarKind, CaseKind, CaseState, CorrectionField, CorrectionValue, DraftState, MailSecurity, MatchSpan, MediaItem, NotificationKind, NotificationState, Origin, OutcomeKind, PointKind, Region, Role, SentimentValue, Severity } from "./types.ts";
import type { ColumnType } from "kysely";

export type ArrayType<T> = ArrayTypeImpl<T> extends (infer U)[]
  ? U[]
  : ArrayTypeImpl<T>;

export type ArrayTypeImpl<T> = T extends ColumnType<infer S, infer I, infer U>
  ? ColumnType<S[], I[], U[]>
  : T[];

export type Generated<T> = T extends ColumnType<infer S, infer I, infer U>
  ? ColumnType<S, I | undefined, U>
  : ColumnType<T, T | undefined, T>;

export type Int8 = ColumnType<string, bigint | number | string, bigint | number | string>;

export type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface ApiQuota {
  day: ColumnType<string, string, string>;
  key_hash: string;
  units: number;
}

export interface AuditLog {
  action: string;
  actor: string;
  board_id: Int8 | null;
  created_at: Generated<Timestamp>;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
  id: Generated<Int8>;
  ip: string | null;
  target_id: string | null;
  target_type: string | null;
  user_id: Int8 | null;
}

export interface BoardCalendar {
  board_id: Int8;
  created_at: Generated<Timestamp>;
  ends_on: string;
  id: Generated<Int8>;
  kind: CalendarKind;
  label: string;
  region: Region | null;
  starts_on: string;
}

export interface Boards {
  created_at: Generated<Timestamp>;
  exclusions: string | null;
  id: Generated<Int8>;
  is_demo: Generated<boolean>;
  name: string;
  policy: Generated<string>;
  policy_version: ColumnType<number | null, number | null | undefined, number | null>;
  slug: string;
}

export interface CaseActions {
  article: string;
  basis: string;
  case_id: Int8;
  done_at: Timestamp | null;
  done_by: string | null;
  due_at: Date;
  facts: ColumnType<string[], string, string>;
  guidance: string;
  id: Generated<Int8>;
  parts: ColumnType<GuidancePart[], string | undefined, string>;
  points: ColumnType<string[], string, string>;
  roles: string[];
  rule: string;
  status: ColumnType<ActionStatus, ActionStatus | undefined, ActionStatus>;
  type: string;
}

export interface CaseCounts {
  n: Int8;
  school_id: Int8;
  state: string;
}

export interface CaseEvents {
  actor: string;
  case_id: Int8;
  created_at: Generated<Timestamp>;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  id: Generated<Int8>;
  kind: string;
  user_id: Int8 | null;
}

export interface CaseMentions {
  added_at: Generated<Timestamp>;
  case_id: Int8;
  mention_id: Int8;
}

export interface Cases {
  assignee_id: Int8 | null;
  board_id: Int8;
  breach_reported_at: Timestamp | null;
  breach_status: BreachStatus | null;
  closed_at: Timestamp | null;
  created_at: Generated<Timestamp>;
  due_at: Date;
  headline_at: Timestamp | null;
  headline_mention_id: Int8 | null;
  id: Generated<Int8>;
  kind: CaseKind;
  last_mention_at: Date;
  outcome: string | null;
  outcome_kind: OutcomeKind | null;
  policy: string;
  policy_version: ColumnType<number | null, number | null | undefined, number | null>;
  school_id: Int8;
  severity: Severity;
  state: ColumnType<CaseState, CaseState | undefined, CaseState>;
  topic_words: ColumnType<string[], string[] | undefined, string[]>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface CaseThreadKeys {
  case_id: Int8;
  key: string;
}

export interface Classifications {
  actions: ColumnType<unknown[], string, string>;
  classifier: string;
  created_at: Generated<Timestamp>;
  id: Generated<Int8>;
  language: string;
  masks: ColumnType<MaskSpan[] | null, string | null | undefined, string | null>;
  mention_id: Int8;
  risks: ColumnType<unknown[], string, string>;
  sentiment: SentimentValue;
  sentiment_evidence: ColumnType<unknown[], string | undefined, string>;
  sentiment_score: number;
}

export interface CorrectionDrafts {
  case_id: Int8;
  created_at: Generated<Timestamp>;
  decided_at: Timestamp | null;
  decided_by: string | null;
  drafted_by: string;
  id: Generated<Int8>;
  mention_id: Int8 | null;
  posted_at: Timestamp | null;
  posted_by: string | null;
  reason: string | null;
  state: ColumnType<DraftState, DraftState | undefined, DraftState>;
  text: string;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface FilingQueue {
  mention_id: Int8;
  queued_at: Generated<Timestamp>;
}

export interface JobState {
  name: string;
  updated_at: Generated<Timestamp>;
  value: string;
}

export interface LabelCorrections {
  actor: string;
  classifier: string | null;
  created_at: Generated<Timestamp>;
  field: CorrectionField;
  id: Generated<Int8>;
  mention_id: Int8;
  previous: string | null;
  user_id: Int8 | null;
  value: CorrectionValue;
}

export interface LoginTickets {
  created_at: Generated<Timestamp>;
  expires_at: Timestamp;
  id: Generated<Int8>;
  token_hash: string;
  user_id: Int8;
}

export interface MailSettings {
  board_id: Int8;
  dashboard_url: string;
  digest_hour: ColumnType<number, number | undefined, number>;
  from_address: string;
  host: string;
  last_digest_on: ColumnType<string | null, string | null | undefined, string | null>;
  password: string | null;
  port: number;
  security: ColumnType<MailSecurity, MailSecurity | undefined, MailSecurity>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  username: string | null;
}

export interface MentionKeys {
  external_id: string;
  mention_id: Int8;
  source_id: Int8;
}

export interface Mentions {
  author: string | null;
  author_handle: string | null;
  board_id: Int8;
  body: Generated<string>;
  corrected: Generated<boolean>;
  created_at: Generated<Timestamp>;
  engagement: ColumnType<Record<string, number>, string | undefined, string>;
  external_id: string;
  id: Generated<Int8>;
  media: ColumnType<MediaItem[], string | undefined, string>;
  origin: ColumnType<Origin, Origin | undefined, Origin>;
  published_at: Date;
  reply_to: string | null;
  search_masked_by: string | null;
  search_text: string | null;
  search_tsv: Generated<string | null>;
  shown_risks: Generated<string[]>;
  shown_sentiment: string | null;
  source_id: Int8;
  story_id: Int8 | null;
  story_key: string | null;
  thread_id: string | null;
  title: Generated<string>;
  url: string | null;
}

export interface MentionSchools {
  active: Generated<boolean>;
  matched: string[];
  mention_id: Int8;
  published_at: Timestamp | null;
  school_id: Int8;
  shown_risks: Generated<string[]>;
  spans: ColumnType<MatchSpan[], string | undefined, string>;
}

export interface MentionTriage {
  actor: string;
  at: Timestamp;
  board_id: Int8;
  inactive_schools: Generated<ArrayType<Int8>>;
  mention_id: Int8;
  state: string;
  user_id: Int8 | null;
}

export interface Notifications {
  attachment: Buffer | null;
  attachment_name: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  board_id: Int8;
  body: string;
  case_id: Int8 | null;
  created_at: Generated<Timestamp>;
  id: Generated<Int8>;
  kind: NotificationKind;
  last_error: string | null;
  recipients: string[];
  send_after: ColumnType<Date, Date | undefined, Date>;
  sent_at: Timestamp | null;
  state: ColumnType<NotificationState, NotificationState | undefined, NotificationState>;
  subject: string;
}

export interface PasswordLinks {
  created_at: Generated<Timestamp>;
  expires_at: Timestamp;
  id: Generated<Int8>;
  purpose: string;
  token_hash: string;
  used_at: Timestamp | null;
  user_id: Int8;
}

export interface PolicyVersions {
  board_id: Int8;
  changes: ColumnType<string[], string, string>;
  created_at: Generated<Timestamp>;
  created_by: Int8 | null;
  created_by_name: string;
  note: string;
  preset: ColumnType<unknown, string, string>;
  preset_id: string;
  version: number;
}

export interface PreviewItems {
  board_id: Int8;
  created_at: Generated<Timestamp>;
  external_id: string;
  id: Generated<Int8>;
  item: ColumnType<Record<string, unknown>, string, string>;
  search_text: Generated<string>;
  source_id: Int8;
}

export interface Reports {
  contact: string | null;
  created_at: Generated<Timestamp>;
  held: Generated<boolean>;
  mention_id: Int8;
  school_id: Int8;
  screenshot_description: string | null;
}

export interface ReportThrottle {
  at: ColumnType<Date, Date | undefined, never>;
  key: string;
}

export interface Retention {
  audit_months: Generated<number>;
  board_id: Int8;
  contact_months: Generated<number>;
  last_purge_at: Timestamp | null;
  mentions_months: Generated<number>;
  reports_months: Generated<number>;
  updated_at: Generated<Timestamp>;
}

export interface SchoolCalendar {
  created_at: Generated<Timestamp>;
  ends_on: string;
  id: Generated<Int8>;
  kind: CalendarKind;
  label: string;
  school_id: Int8;
  starts_on: string;
}

export interface SchoolContacts {
  created_at: Generated<Timestamp>;
  email: string | null;
  id: Generated<Int8>;
  name: string;
  phone: string | null;
  role: string;
  school_id: Int8;
}

export interface SchoolPoints {
  case_id: Int8 | null;
  created_at: Generated<Timestamp>;
  created_by: string;
  id: Generated<Int8>;
  kind: PointKind;
  school_id: Int8;
  text: string;
}

export interface Schools {
  aliases: Generated<string[]>;
  archived_at: Timestamp | null;
  archived_by: Int8 | null;
  board_id: Int8;
  created_at: Generated<Timestamp>;
  facts: Generated<string[]>;
  id: Generated<Int8>;
  name: string;
  place: string | null;
  query: string | null;
  region: ColumnType<Region | null, Region | null | undefined, Region | null>;
  slug: string;
}

export interface Sessions {
  created_at: Generated<Timestamp>;
  expires_at: Date;
  id: Generated<Int8>;
  last_seen_at: Timestamp | null;
  token_hash: string;
  user_id: Int8;
}

export interface Sources {
  board_id: Int8;
  created_at: Generated<Timestamp>;
  current_interval_seconds: number | null;
  deleted_at: Timestamp | null;
  enabled: Generated<boolean>;
  error_count: Generated<number>;
  error_permanent: Generated<boolean>;
  etag: string | null;
  id: Generated<Int8>;
  interval_seconds: Generated<number>;
  kind: string;
  last_checked_at: Date | null;
  last_error: string | null;
  last_modified: string | null;
  last_success_at: Date | null;
  lease_owner: string | null;
  lease_until: Date | null;
  name: string;
  next_check_at: ColumnType<Date, Date | undefined, Date>;
  notice: string | null;
  school_id: Int8 | null;
  settings: ColumnType<Record<string, unknown>, string | undefined, string>;
  state: ColumnType<Record<string, unknown>, string | undefined, string>;
  url: string | null;
}

export interface StatsBoardDaily {
  board_id: Int8;
  corrected: number;
  day: Timestamp;
  mentions: number;
  sentiment: string;
}

export interface StatsDaily {
  corrected: boolean;
  day: Timestamp;
  mentions: number;
  platform: string;
  reach: Int8;
  school_id: Int8;
  sentiment: string;
  source_kind: string;
}

export interface StatsDirty {
  day: Timestamp;
  school_id: Int8;
}

export interface StatsNationalDaily {
  corrected: number;
  day: Timestamp;
  mentions: number;
  sentiment: string;
}

export interface StatsRisksDaily {
  day: Timestamp;
  mentions: number;
  risk: string;
  school_id: Int8;
}

export interface StatsTermsWeekly {
  label: string;
  mentions: number;
  school_id: Int8;
  sentiment: string;
  term: string;
  week: Timestamp;
}

export interface StoryCopies {
  copies: number;
  leader_id: Int8;
  reported: number;
}

export interface StoryHeads {
  board_id: Int8;
  mention_id: Int8;
  story_key: string | null;
  url: string | null;
}

export interface Streams {
  connected_at: Timestamp | null;
  cursor_us: Int8 | null;
  lease_owner: string | null;
  lease_until: Timestamp | null;
  name: string;
  updated_at: Generated<Timestamp>;
}

export interface TotpRecoveryCodes {
  code_hash: string;
  created_at: Generated<Timestamp>;
  id: Generated<Int8>;
  used_at: Timestamp | null;
  user_id: Int8;
}

export interface Users {
  all_schools: Generated<boolean>;
  board_id: Int8;
  created_at: Generated<Timestamp>;
  disabled_at: Timestamp | null;
  email: string;
  id: Generated<Int8>;
  last_report_month: Timestamp | null;
  monthly_report: Generated<boolean>;
  name: Generated<string>;
  password_hash: string;
  role: Role;
}

export interface UserSchools {
  school_id: Int8;
  user_id: Int8;
}

export interface UserTotp {
  confirmed_at: Timestamp | null;
  created_at: Generated<Timestamp>;
  last_step: Int8 | null;
  secret: string;
  user_id: Int8;
}

export interface DB {
  api_quota: ApiQuota;
  audit_log: AuditLog;
  board_calendar: BoardCalendar;
  boards: Boards;
  case_actions: CaseActions;
  case_counts: CaseCounts;
  case_events: CaseEvents;
  case_mentions: CaseMentions;
  case_thread_keys: CaseThreadKeys;
  cases: Cases;
  classifications: Classifications;
  correction_drafts: CorrectionDrafts;
  filing_queue: FilingQueue;
  job_state: JobState;
  label_corrections: LabelCorrections;
  login_tickets: LoginTickets;
  mail_settings: MailSettings;
  mention_keys: MentionKeys;
  mention_schools: MentionSchools;
  mention_triage: MentionTriage;
  mentions: Mentions;
  notifications: Notifications;
  password_links: PasswordLinks;
  policy_versions: PolicyVersions;
  preview_items: PreviewItems;
  report_throttle: ReportThrottle;
  reports: Reports;
  retention: Retention;
  school_calendar: SchoolCalendar;
  school_contacts: SchoolContacts;
  school_points: SchoolPoints;
  schools: Schools;
  sessions: Sessions;
  sources: Sources;
  stats_board_daily: StatsBoardDaily;
  stats_daily: StatsDaily;
  stats_dirty: StatsDirty;
  stats_national_daily: StatsNationalDaily;
  stats_risks_daily: StatsRisksDaily;
  stats_terms_weekly: StatsTermsWeekly;
  story_copies: StoryCopies;
  story_heads: StoryHeads;
  streams: Streams;
  totp_recovery_codes: TotpRecoveryCodes;
  user_schools: UserSchools;
  user_totp: UserTotp;
  users: Users;
}
