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

export async function policyPreset(db: Reader, boardId: string, presetId: string, version: number | null): Promise<Preset> {
  if (version === null) return loadPreset(presetId);
  let perDb = cache.get(db);
  if (!perDb) cache.set(db, (perDb = new Map()));
  const key = `${boardId}:${version}`;
  let preset = perDb.get(key);
  if (!preset) {
    const row = await db.selectFrom('policy_versions').select('preset').where('board_id', '=', boardId).where('version', '=', version).executeTakeFirstOrThrow();
    perDb.set(key, (preset = rebase(presetFrom(row.preset))));
  }
  return preset;
}

export async function boardPolicy(db: Reader, boardId: string): Promise<BoardPolicy> {
  const b = await db.selectFrom('boards').select(['policy', 'policy_version']).where('id', '=', boardId).executeTakeFirstOrThrow();
  return { preset: await policyPreset(db, boardId, b.policy, b.policy_version), version: b.policy_version };
}

// "Edu-Ley" or "Edu-Ley, versie 3": how a prompt names the rules it came from.
export const policyLabel = (name: string, version: number | null) => (version === null ? name : `${name}, versie ${version}`);
