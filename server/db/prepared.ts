import crypto from 'node:crypto';
import type { CompiledQuery, QueryResult } from 'kysely';
import type pg from 'pg';

// Statements PostgreSQL keeps prepared per connection, so it plans them once instead of at every call.
// Worth it where planning costs more than running: a search's hits are asked of every month of mentions
// (sql/0040) through two text indexes each, ~2 ms of planning for ~1 ms of work at a 1M-post year.
// PostgreSQL itself decides, after five runs, whether the plan it keeps (without the values) is as good
// as one made for the values. A list's months are picked by constants in its text (a month's id bounds), so
// its kept plan reads those months alone; a list of a search's hits, whose text names their ids' bounds,
// stays unnamed. The inbox's page and the case list are kept too: planning them cost ~1-3 ms a request,
// more than running them (at 1M posts the inbox's board page went from a p50 of 6.0-8.8 to 4.9-5.4 ms).
// A statement whose result columns changed under it (a migration while this process runs) is refused by
// PostgreSQL ("cached plan must not change result type"); that connection then runs it unnamed.
const MARK = '/* prepared */ ';
// feature_not_supported: "cached plan must not change result type"
const CHANGED_RESULT = '0A000';
// per connection; past this the statement runs unnamed (bounds the server's memory per connection)
export const MAX_PREPARED = 64;

export function prepared<R>(q: CompiledQuery<R>): CompiledQuery<R> {
  return { ...q, sql: MARK + q.sql };
}

// A query's rows, its statement kept prepared. Only for statements whose text stays the same from call
// to call (values as parameters; a month's bounds may be constants): every other text takes one of
// the connection's MAX_PREPARED names for good.
export async function preparedRows<R>(
  db: { executeQuery<O>(q: CompiledQuery<O>): Promise<QueryResult<O>> },
  q: CompiledQuery<R>,
): Promise<R[]> {
  return (await db.executeQuery(prepared(q))).rows;
}

const names = new Map<string, string>();
function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    if (names.size >= 4 * MAX_PREPARED) names.clear();
    name = `k${crypto.createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
}

// Every connection of the pool: a marked statement is sent named (pg then parses it once per connection).
export function namePreparedStatements(client: pg.PoolClient) {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const named = new Set<string>();
  const stale = new Set<string>();
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const [text, values] = args;
    if (args.length === 2 && typeof text === 'string' && text.startsWith(MARK) && Array.isArray(values)) {
      const name = nameOf(text);
      if (!stale.has(name) && (named.has(name) || named.size < MAX_PREPARED)) {
        named.add(name);
        return (query({ name, text, values }) as Promise<unknown>).catch((e: { code?: string }) => {
          if (e?.code !== CHANGED_RESULT) throw e;
          stale.add(name);
          return query(text, values);
        });
      }
    }
    return query(...args);
  };
}
