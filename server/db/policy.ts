import type { DB } from './index.ts';
import { rebase } from '../../workers/policy/edit.ts';
import { loadPreset, presetFrom } from '../../workers/policy/presets.ts';
import type { Preset } from '../../workers/policy/types.ts';

// The rules a board works by: its preset file as shipped, or the board's own adjusted version
// (sql/0010_policy_versions.sql), read against the current file (workers/policy/edit.ts rebase: the protocol's
// duties and article bases always as shipped). Versions never change once written, so a parsed one is cached per
// database handle (tests run many databases in one process; a transaction simply misses the cache).

type Reader = Pick<DB, 'selectFrom'>;
export type BoardPolicy = { preset: Preset; version: number | null };

const cache = new WeakMap<object, Map<string, Preset>>();

export async function policyPreset(
  db: Reader,
  boardId: string,
  presetId: string,
  version: number | null,
): Promise<Preset> {
  if (version === null) return loadPreset(presetId);
  let perDb = cache.get(db);
  if (!perDb) cache.set(db, (perDb = new Map()));
  const key = `${boardId}:${version}`;
  let preset = perDb.get(key);
  if (!preset) {
    const row = await db
      .selectFrom('policy_versions')
      .select('preset')
      .where('board_id', '=', boardId)
      .where('version', '=', version)
      .executeTakeFirstOrThrow();
    perDb.set(key, (preset = rebase(presetFrom(row.preset))));
  }
  return preset;
}

export async function boardPolicy(db: Reader, boardId: string): Promise<BoardPolicy> {
  const b = await db
    .selectFrom('boards')
    .select(['policy', 'policy_version'])
    .where('id', '=', boardId)
    .executeTakeFirstOrThrow();
  return { preset: await policyPreset(db, boardId, b.policy, b.policy_version), version: b.policy_version };
}

// "Edu-Ley" or "Edu-Ley, versie 3": how a prompt names the rules it came from.
export const policyLabel = (name: string, version: number | null) =>
  version === null ? name : `${name}, versie ${version}`;

export async function policyVersions(db: DB, boardId: string) {
  return db
    .selectFrom('policy_versions')
    .select(['version', 'preset_id', 'note', 'changes', 'created_by_name', 'created_at'])
    .where('board_id', '=', boardId)
    .orderBy('version', 'desc')
    .execute();
}

export async function policyVersionPresetId(db: DB, boardId: string, version: number): Promise<string | undefined> {
  return (
    await db
      .selectFrom('policy_versions')
      .select(['preset_id'])
      .where('board_id', '=', boardId)
      .where('version', '=', version)
      .executeTakeFirst()
  )?.preset_id;
}

// The board's current policy, locked until the caller's transaction ends, so two saves queue up.
export async function lockBoardPolicy(trx: DB, boardId: string) {
  return trx
    .selectFrom('boards')
    .select(['policy', 'policy_version'])
    .where('id', '=', boardId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export async function lastPolicyVersion(db: DB, boardId: string): Promise<number> {
  const last = await db
    .selectFrom('policy_versions')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('board_id', '=', boardId)
    .executeTakeFirst();
  return Number(last?.v ?? 0);
}

export type NewPolicyVersion = {
  boardId: string;
  version: number;
  preset: Preset;
  note: string;
  changes: string[];
  createdBy: string | null;
  createdByName: string;
};

// Stores the version and makes it the board's current one (run inside a transaction).
export async function insertPolicyVersion(trx: DB, v: NewPolicyVersion) {
  await trx
    .insertInto('policy_versions')
    .values({
      board_id: v.boardId,
      version: v.version,
      preset_id: v.preset.id,
      preset: JSON.stringify(v.preset),
      note: v.note,
      changes: JSON.stringify(v.changes),
      created_by: v.createdBy,
      created_by_name: v.createdByName,
    })
    .execute();
  await trx
    .updateTable('boards')
    .set({ policy: v.preset.id, policy_version: v.version })
    .where('id', '=', v.boardId)
    .execute();
}
