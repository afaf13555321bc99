import { sql, type ExpressionBuilder } from 'kysely';
import type { DB } from './index.ts';
import type { CorrectionField, Database } from './schema.ts';
import type { Risk, RiskType } from '../../workers/classify/types.ts';

// Staff corrections on top of the classifier's labels: the latest correction per field wins, and
// it is what the inbox shows, filters and counts.
export type Correction = { value: string; actor: string; at: string };
export type Corrections = Partial<Record<CorrectionField, Correction>>;
export type ShownRisk = Risk & { corrected?: Correction };

// A lateral subquery giving one jsonb object {field: {value, actor, at}} per mention `m`.
export function correctionsOf(eb: ExpressionBuilder<Database & { m: Database['mentions'] }, 'm'>) {
  return eb
    .selectFrom((inner) =>
      inner
        .selectFrom('label_corrections as x')
        .select(['x.field', 'x.value', 'x.actor', 'x.created_at'])
        .distinctOn('x.field')
        .whereRef('x.mention_id', '=', 'm.id')
        .orderBy('x.field')
        .orderBy('x.id', 'desc')
        .as('latest'),
    )
    .select(
      sql<Corrections | null>`jsonb_object_agg(latest.field, jsonb_build_object('value', latest.value, 'actor', latest.actor, 'at', latest.created_at))`.as(
        'corr',
      ),
    )
    .as('lc');
}

// SQL for "the shown sentiment" and "the shown labels include this risk type".
export const shownSentiment = sql<string | null>`coalesce(lc.corr -> 'sentiment' ->> 'value', c.sentiment)`;
export const hasShownRisk = (type: RiskType) =>
  sql<boolean>`(coalesce(lc.corr -> ${type} ->> 'value', '') = 'present' or (c.risks @> ${JSON.stringify([{ type }])}::jsonb and coalesce(lc.corr -> ${type} ->> 'value', '') <> 'absent'))`;

// A risk staff added has no spans: the person saw it, the classifier did not.
const ADDED_SEVERITY: Record<RiskType, Risk['severity']> = {
  threat: 'high',
  sexual: 'high',
  discrimination: 'high',
  personal_data: 'medium',
  shaming: 'medium',
  inaccuracy: 'medium',
};

export function applyCorrections(risks: Risk[], sentiment: string | null, corr: Corrections | null) {
  const c = corr ?? {};
  const shown: ShownRisk[] = risks.filter((r) => c[r.type]?.value !== 'absent');
  for (const type of Object.keys(ADDED_SEVERITY) as RiskType[]) {
    const k = c[type];
    if (k?.value === 'present' && !shown.some((r) => r.type === type))
      shown.push({ type, severity: ADDED_SEVERITY[type], confidence: 1, evidence: [], corrected: k });
  }
  return { risks: shown, sentiment: c.sentiment?.value ?? sentiment, corrected: Object.keys(c).length > 0 };
}

export type CorrectionInput = {
  field: CorrectionField;
  value: 'positive' | 'neutral' | 'negative' | 'present' | 'absent';
};

// Records a correction with who made it and what the label was before. Returns false when the
// label already is what was asked (nothing to record).
export async function correctLabel(
  db: DB,
  mentionId: string,
  who: { id: string; email: string },
  input: CorrectionInput,
  current: { sentiment: string | null; risks: { type: string }[]; classifier: string | null },
) {
  const previous =
    input.field === 'sentiment'
      ? current.sentiment
      : current.risks.some((r) => r.type === input.field)
        ? 'present'
        : 'absent';
  if (previous === input.value) return false;
  await db
    .insertInto('label_corrections')
    .values({
      mention_id: mentionId,
      user_id: who.id,
      actor: who.email,
      field: input.field,
      value: input.value,
      previous,
      classifier: current.classifier,
    })
    .execute();
  return true;
}

export async function correctionHistory(db: DB, mentionId: string) {
  const rows = await db
    .selectFrom('label_corrections')
    .select(['field', 'value', 'previous', 'actor', 'created_at'])
    .where('mention_id', '=', mentionId)
    .orderBy('id', 'desc')
    .limit(50)
    .execute();
  return rows.map((r) => ({
    field: r.field,
    value: r.value,
    previous: r.previous,
    actor: r.actor,
    at: r.created_at.toISOString(),
  }));
}

// Who corrected each of these mentions last, and when.
export async function latestCorrectors(db: DB, mentionIds: string[]) {
  const rows = await db
    .selectFrom('label_corrections')
    .select(['mention_id', 'actor', 'created_at'])
    .distinctOn('mention_id')
    .where('mention_id', 'in', mentionIds)
    .orderBy('mention_id')
    .orderBy('id', 'desc')
    .execute();
  return new Map(rows.map((r) => [r.mention_id, { actor: r.actor, at: r.created_at }]));
}
