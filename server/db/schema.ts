import type { Insertable, Selectable } from 'kysely';
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
