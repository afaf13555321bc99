// Kept while the move into server/db settles: the case tables' types now come from schema.ts.
export * from './schema.ts';
