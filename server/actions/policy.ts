import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { can, type Viewer } from '../access.ts';
import { audit } from '../db/audit.ts';
import { inTransaction, type DB } from '../db/index.ts';
import {
  boardPolicy,
  insertPolicyVersion,
  lastPolicyVersion,
  lockBoardPolicy,
  policyPreset,
  policyVersionPresetId,
  policyVersions,
} from '../db/policy.ts';
import {
  buildPreset,
  describeChanges,
  editorView,
  type EditorPolicy,
  type PolicyEdit,
} from '../../workers/policy/edit.ts';
import { loadPreset, PRESET_IDS } from '../../workers/policy/presets.ts';
import type { Preset } from '../../workers/policy/types.ts';

// The board's policy in the dashboard: everyone reads the rules their prompts come from; the board's
// beheer, or a directeur over all its schools, picks the preset and adjusts it. Each change is a new
// version with who, when, why and what changed, and an audit entry. Cases keep the prompts they got.

export type PolicyVersionRow = {
  version: number;
  presetId: string;
  presetName: string;
  note: string;
  changes: string[];
  by: string;
  at: string;
};
export type PolicyState = {
  current: EditorPolicy & { version: number | null };
  presets: { id: string; name: string; source: string; description: string }[];
  versions: PolicyVersionRow[];
  canEdit: boolean;
};

export const canEditPolicy = (v: Viewer) => can(v, 'policy.edit');

export class PolicyProblem extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    message: string,
    readonly problems: string[] = [],
  ) {
    super(status, { message });
  }
}

export async function policyState(db: DB, v: Viewer): Promise<PolicyState> {
  const { preset, version } = await boardPolicy(db, v.boardId);
  const rows = await policyVersions(db, v.boardId);
  return {
    current: { ...editorView(preset), version },
    presets: PRESET_IDS.map((id) => loadPreset(id)).map((p) => ({
      id: p.id,
      name: p.name,
      source: p.source,
      description: p.description,
    })),
    versions: rows.map((r) => ({
      version: r.version,
      presetId: r.preset_id,
      presetName: loadPreset(r.preset_id).name,
      note: r.note,
      changes: r.changes,
      by: r.created_by_name,
      at: r.created_at.toISOString(),
    })),
    canEdit: canEditPolicy(v),
  };
}

export type Writer = { boardId: string; userId: string | null; actor: string; name: string; ip?: string };

// Stores `preset` as the board's next version, inside the caller's transaction. `expected` guards
// against two people saving at once: the version the editor started from must still be current.
export async function insertVersion(trx: DB, by: Writer, preset: Preset, note: string, expected?: number | null) {
  const board = await lockBoardPolicy(trx, by.boardId);
  if (expected !== undefined && expected !== board.policy_version)
    throw new PolicyProblem(
      409,
      `Iemand anders heeft het beleid intussen gewijzigd (nu versie ${board.policy_version ?? 'zoals geleverd'}). Laad de pagina opnieuw; je wijzigingen zijn niet opgeslagen.`,
    );
  const before = await policyPreset(trx, by.boardId, board.policy, board.policy_version);
  const changes = describeChanges(before, preset);
  if (!changes.length) throw new PolicyProblem(400, 'Er is niets gewijzigd ten opzichte van het huidige beleid.');
  const version = (await lastPolicyVersion(trx, by.boardId)) + 1;
  await insertPolicyVersion(trx, {
    boardId: by.boardId,
    version,
    preset,
    note,
    changes,
    createdBy: by.userId,
    createdByName: by.name,
  });
  await audit(trx, {
    boardId: by.boardId,
    userId: by.userId,
    actor: by.actor,
    action: 'policy.update',
    targetType: 'board',
    targetId: by.boardId,
    ip: by.ip,
    details: { version, preset: preset.id, note, changes },
  });
  return { version, changes };
}

const writeVersion = (db: DB, by: Writer, preset: Preset, note: string, expected?: number | null) =>
  inTransaction(db, (trx) => insertVersion(trx, by, preset, note, expected));

const writer = (v: Viewer, ip?: string): Writer => ({
  boardId: v.boardId,
  userId: v.id,
  actor: v.email,
  name: v.name || v.email,
  ip,
});

export async function savePolicy(
  db: DB,
  v: Viewer,
  edit: PolicyEdit & { baseVersion: number | null; note: string },
  ip?: string,
) {
  if (!canEditPolicy(v))
    throw new PolicyProblem(403, 'Alleen beheer of een directeur van alle scholen wijzigt het beleid');
  const { preset, problems } = buildPreset(edit);
  if (!preset)
    throw new PolicyProblem(
      422,
      problems.length === 1
        ? problems[0]!
        : `Het beleid is niet opgeslagen: ${problems.length} punten om te verbeteren`,
      problems,
    );
  return writeVersion(db, writer(v, ip), preset, edit.note.trim(), edit.baseVersion);
}

// Back to an earlier version: a new version with that version's rules, so nothing is lost.
export async function restorePolicy(db: DB, v: Viewer, version: number, ip?: string) {
  if (!canEditPolicy(v))
    throw new PolicyProblem(403, 'Alleen beheer of een directeur van alle scholen wijzigt het beleid');
  const presetId = await policyVersionPresetId(db, v.boardId, version);
  if (!presetId) throw new PolicyProblem(404, `Versie ${version} bestaat niet`);
  const preset = await policyPreset(db, v.boardId, presetId, version);
  return writeVersion(db, writer(v, ip), preset, `Terug naar versie ${version}`);
}
