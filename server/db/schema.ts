import type { Insertable, Selectable } from 'kysely';
import type * as T from './generated.ts';
import type { DB, MailSettings, Mentions, Schools, Sources, Users } from './generated.ts';

// The database's types for the code: the tables as generated from the migrated schema
// (generated.ts, `npm run db:types`) and the domain types of their columns (types.ts).
export type Database = DB;
export * from './types.ts';
export type * from './generated.ts';

export type Source = Selectable<Sources>;
export type School = Selectable<Schools>;
export type User = Selectable<Users>;
export type NewMention = Insertable<Mentions>;
export type MailSettingsTable = Selectable<MailSettings>;

// The names the tables had when they were written by hand.
export type BoardsTable = T.Boards;
export type SchoolsTable = T.Schools;
export type UsersTable = T.Users;
export type UserSchoolsTable = T.UserSchools;
export type SessionsTable = T.Sessions;
export type SourcesTable = T.Sources;
export type MentionsTable = T.Mentions;
export type ReportsTable = T.Reports;
export type ReportThrottleTable = T.ReportThrottle;
export type ApiQuotaTable = T.ApiQuota;
export type MentionSchoolsTable = T.MentionSchools;
export type PreviewItemsTable = T.PreviewItems;
export type ClassificationsTable = T.Classifications;
export type LabelCorrectionsTable = T.LabelCorrections;
export type AuditLogTable = T.AuditLog;
export type CasesTable = T.Cases;
export type CaseMentionsTable = T.CaseMentions;
export type CaseActionsTable = T.CaseActions;
export type CaseEventsTable = T.CaseEvents;
export type CorrectionDraftsTable = T.CorrectionDrafts;
export type SchoolContactsTable = T.SchoolContacts;
export type SchoolPointsTable = T.SchoolPoints;
export type NotificationsTable = T.Notifications;
export type SchoolCalendarTable = T.SchoolCalendar;
export type PolicyVersionsTable = T.PolicyVersions;
export type BoardCalendarTable = T.BoardCalendar;
