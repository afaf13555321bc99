import { generate, PostgresDialect } from 'kysely-codegen';
import type { DB } from './index.ts';

// The table types in generated.ts come from the migrated schema (kysely-codegen), never by hand.
// `npm run db:types` rewrites the file; test/db/schemaTypes.test.ts fails when it is out of date.
// Overrides give a column its domain type (types.ts) or keep how the code reads and writes it:
// JSON is written as a JSON string, dates of the calendar are read as 'YYYY-MM-DD' text.

const json = (t: string, hasDefault = true) => `ColumnType<${t}, string${hasDefault ? ' | undefined' : ''}, string>`;
const defaulted = (t: string) => `ColumnType<${t}, ${t} | undefined, ${t}>`;
const day = 'string'; // a date column read with to_char / written as 'YYYY-MM-DD'

const OVERRIDES: Record<string, string> = {
  'api_quota.day': 'ColumnType<string, string, string>',
  'api_quota.units': 'number',
  'audit_log.details': 'ColumnType<Record<string, unknown>, string | undefined, never>',
  'board_calendar.kind': 'CalendarKind',
  'board_calendar.region': 'Region | null',
  'board_calendar.starts_on': day,
  'board_calendar.ends_on': day,
  'boards.policy_version': 'ColumnType<number | null, number | null | undefined, number | null>',
  'case_actions.parts': json('GuidancePart[]'),
  'case_actions.points': json('string[]', false),
  'case_actions.facts': json('string[]', false),
  'case_actions.status': defaulted('ActionStatus'),
  'case_actions.due_at': 'Date',
  // updated only by an erasure request (server/db/personData.ts)
  'case_events.details': 'ColumnType<Record<string, unknown>, string | undefined, string>',
  'cases.kind': 'CaseKind',
  'cases.state': defaulted('CaseState'),
  'cases.severity': 'Severity',
  'cases.policy_version': 'ColumnType<number | null, number | null | undefined, number | null>',
  'cases.outcome_kind': 'OutcomeKind | null',
  'cases.breach_status': 'BreachStatus | null',
  'cases.topic_words': defaulted('string[]'),
  'cases.updated_at': defaulted('Date'),
  'cases.due_at': 'Date',
  'cases.last_mention_at': 'Date',
  'classifications.sentiment': 'SentimentValue',
  'classifications.risks': json('unknown[]', false),
  'classifications.actions': json('unknown[]', false),
  'classifications.sentiment_evidence': json('unknown[]'),
  'classifications.masks': 'ColumnType<MaskSpan[] | null, string | null | undefined, string | null>',
  'correction_drafts.state': defaulted('DraftState'),
  'correction_drafts.updated_at': defaulted('Date'),
  'label_corrections.field': 'CorrectionField',
  'label_corrections.value': 'CorrectionValue',
  'mail_settings.security': defaulted('MailSecurity'),
  'mail_settings.digest_hour': defaulted('number'),
  'mail_settings.last_digest_on': 'ColumnType<string | null, string | null | undefined, string | null>',
  'mail_settings.updated_at': defaulted('Date'),
  'mention_schools.matched': 'string[]',
  'mention_schools.spans': json('MatchSpan[]'),
  'mentions.media': json('MediaItem[]'),
  'mentions.engagement': json('Record<string, number>'),
  'mentions.origin': defaulted('Origin'),
  'mentions.published_at': 'Date',
  'notifications.kind': 'NotificationKind',
  'notifications.state': defaulted('NotificationState'),
  'notifications.attempts': defaulted('number'),
  'notifications.send_after': defaulted('Date'),
  'policy_versions.preset': json('unknown', false),
  'policy_versions.changes': json('string[]', false),
  'preview_items.item': json('Record<string, unknown>', false),
  'report_throttle.at': 'ColumnType<Date, Date | undefined, never>',
  'school_calendar.kind': 'CalendarKind',
  'school_calendar.starts_on': day,
  'school_calendar.ends_on': day,
  'school_points.kind': 'PointKind',
  'schools.region': 'ColumnType<Region | null, Region | null | undefined, Region | null>',
  'sessions.expires_at': 'Date',
  'sources.settings': json('Record<string, unknown>'),
  'sources.state': json('Record<string, unknown>'),
  'sources.next_check_at': defaulted('Date'),
  'sources.lease_until': 'Date | null',
  'sources.last_checked_at': 'Date | null',
  'sources.last_success_at': 'Date | null',
  'sources.interval_seconds': 'Generated<number>',
  'users.role': 'Role',
};

const DOMAIN = [
  'ActionStatus',
  'BreachStatus',
  'CalendarKind',
  'CaseKind',
  'CaseState',
  'CorrectionField',
  'CorrectionValue',
  'DraftState',
  'MailSecurity',
  'MatchSpan',
  'MediaItem',
  'NotificationKind',
  'NotificationState',
  'Origin',
  'OutcomeKind',
  'PointKind',
  'Region',
  'Role',
  'SentimentValue',
  'Severity',
];

export async function generateSchema(db: DB): Promise<string> {
  const out = await generate({
    db,
    dialect: new PostgresDialect(),
    // a month's partition is read through mentions; which months exist depends on the day
    excludePattern: '{schema_migrations,mentions_[0-9]*,mentions_before_*}',
    overrides: { columns: OVERRIDES },
    customImports: {
      ...Object.fromEntries(DOMAIN.map((t) => [t, './types.ts'])),
      GuidancePart: '../../workers/policy/types.ts',
      MaskSpan: '../../workers/classify/types.ts',
    },
    typeOnlyImports: true,
    outFile: null,
    print: false,
    skipAutogeneratedFileComment: true,
  } as Parameters<typeof generate>[0]);
  return `// Generated from the migrated schema by \`npm run db:types\` (server/db/codegen.ts). Do not edit.\n\n${out.trim()}\n`;
}
