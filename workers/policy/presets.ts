import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { RISK_TYPES } from '../classify/types.ts';
import { ACTION_TYPES, SCHOOL_ROLES, type Preset } from './types.ts';

// The five protocols in shared/protocols, each as a data file in presets/: rules citing the article
// they implement, with Dutch guidance a staff member can act on.
export const PRESET_IDS = ['edu-ley', 'model-protocol', 'obs-meander', 'scala-coenecoop', 'st-jozef-pontonnier'] as const;
export type PresetId = (typeof PRESET_IDS)[number];

const when = z.strictObject({
  sentiment: z.array(z.enum(['positive', 'neutral', 'negative'])).optional(),
  risks: z.array(z.enum(RISK_TYPES as [string, ...string[]])).optional(),
  notRisks: z.array(z.enum(RISK_TYPES as [string, ...string[]])).optional(),
  noRisks: z.boolean().optional(),
  minSeverity: z.enum(['low', 'medium', 'high']).optional(),
  subtypes: z.array(z.string()).optional(),
  media: z.boolean().optional(),
  sources: z.array(z.string()).optional(),
  words: z.array(z.string().min(1)).optional(),
});
const rule = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(3),
  article: z.string().min(1),
  basis: z.enum(['protocol', 'law']).optional(),
  when: when.refine((w) => Object.keys(w).length > 0, 'een regel zonder voorwaarden geldt nooit'),
  actions: z
    .array(
      z.strictObject({
        type: z.enum(ACTION_TYPES as [string, ...string[]]),
        roles: z.array(z.enum(SCHOOL_ROLES as [string, ...string[]])).min(1),
        dueDays: z.number().int().min(0).max(60),
        guidance: z.string().min(20),
      }),
    )
    .min(1),
});
// "Online communicatie dreigt te ontsporen": what to do when a school's negative volume, or one
// discussion's pace, rises well above its own baseline.
const spike = z.strictObject({ article: z.string().min(1), roles: z.array(z.enum(SCHOOL_ROLES as [string, ...string[]])).min(1), dueDays: z.number().int().min(0).max(7), guidance: z.string().min(20) });
export const presetSchema = z.strictObject({ id: z.string(), name: z.string(), source: z.string(), description: z.string(), spike, rules: z.array(rule).min(1) });

export const parsePreset = (text: string): Preset => presetFrom(parse(text));

// A preset from its data (a file, or a board's stored version), checked against the schema.
export function presetFrom(data: unknown): Preset {
  const preset = presetSchema.parse(data) as Preset;
  const ids = preset.rules.map((r) => r.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw new Error(`regel "${twice}" staat twee keer in ${preset.id}`);
  return preset;
}

const cache = new Map<string, Preset>();
export function loadPreset(id: string): Preset {
  if (!(PRESET_IDS as readonly string[]).includes(id)) throw new Error(`Onbekend beleid "${id}"; kies uit ${PRESET_IDS.join(', ')}`);
  let p = cache.get(id);
  if (!p) cache.set(id, (p = parsePreset(readFileSync(new URL(`./presets/${id}.yaml`, import.meta.url), 'utf8'))));
  return p;
}
