import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { RISK_TYPES } from '../classify/types.ts';
import { ACTION_TYPES, BASES, SCHOOL_ROLES, type GuidancePart, type Preset } from './types.ts';

// The five protocols in shared/protocols, each as a data file in presets/: rules citing the article
// they implement, with Dutch guidance a staff member can act on — every sentence with its basis
// (protocol article, law, or Klankbord's advice).
export const PRESET_IDS = [
  'edu-ley',
  'model-protocol',
  'obs-meander',
  'scala-coenecoop',
  'st-jozef-pontonnier',
] as const;
export type PresetId = (typeof PRESET_IDS)[number];

const risks = z.array(z.enum(RISK_TYPES as [string, ...string[]]));
const when = z.strictObject({
  sentiment: z.array(z.enum(['positive', 'neutral', 'negative'])).optional(),
  risks: risks.optional(),
  notRisks: risks.optional(),
  noRisks: z.boolean().optional(),
  minSeverity: z.enum(['low', 'medium', 'high']).optional(),
  subtypes: z.array(z.string()).optional(),
  media: z.boolean().optional(),
  sources: z.array(z.string()).optional(),
  words: z.array(z.string().min(1)).optional(),
  notWords: z.array(z.string().min(1)).optional(),
});

// A part of the guidance: its text and where it comes from. A protocol or law part names its
// article; advice and the board's own text have none.
const part = z
  .strictObject({
    basis: z.enum(BASES as [string, ...string[]]),
    article: z.string().min(1).max(200).optional(),
    text: z.string().min(3).max(2000),
  })
  .refine((p) => (p.basis === 'protocol' || p.basis === 'law' ? !!p.article : !p.article), {
    message: 'een protocol- of wetsdeel noemt zijn artikel; advies en eigen tekst niet',
  });
// Versions stored before guidance had parts hold one string: the board's text as it was then. It is
// shown as the board's own text, since nothing says which article it rests on.
const guidance = z.union([
  z
    .string()
    .min(1)
    .transform((text): GuidancePart[] => [{ basis: 'board', text }]),
  z.array(part).min(1),
]);
const roles = z.array(z.enum(SCHOOL_ROLES as [string, ...string[]])).min(1);
const ruleBasis = z.enum(['protocol', 'law', 'advice']);

const rule = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9-]+$/),
    title: z.string().min(3),
    basis: ruleBasis.default('protocol'),
    article: z.string().min(1).optional(),
    locked: z.boolean().optional(),
    when: when.refine((w) => Object.keys(w).length > 0, 'een regel zonder voorwaarden geldt nooit'),
    actions: z
      .array(
        z.strictObject({
          type: z.enum(ACTION_TYPES as [string, ...string[]]),
          roles,
          dueDays: z.number().int().min(0).max(60),
          guidance,
        }),
      )
      .min(1),
  })
  .refine((r) => (r.basis === 'advice' ? !r.article : !!r.article), {
    message: 'een regel uit het protocol of de wet noemt zijn artikel; een advies niet',
  });
// "Online communicatie dreigt te ontsporen": what to do when a school's negative volume, or one
// discussion's pace, rises well above its own baseline.
const spike = z.strictObject({
  basis: z.enum(['protocol', 'advice']).default('protocol'),
  article: z.string().min(1).optional(),
  roles,
  dueDays: z.number().int().min(0).max(7),
  guidance,
});
// What the preset says about answering negative discussion online, shown above the prompts of a
// negative post that has no online action. Versions stored before it existed take the file's.
const stance = part.optional();
export const presetSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  source: z.string(),
  description: z.string(),
  stance,
  spike,
  rules: z.array(rule).min(1),
});

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
  if (!(PRESET_IDS as readonly string[]).includes(id))
    throw new Error(`Onbekend beleid "${id}"; kies uit ${PRESET_IDS.join(', ')}`);
  let p = cache.get(id);
  if (!p) {
    p = parsePreset(readFileSync(new URL(`./presets/${id}.yaml`, import.meta.url), 'utf8'));
    // A shipped file says where each sentence comes from; "the board's own text" is for boards.
    const own = [p.spike, ...p.rules.flatMap((r) => r.actions)].some((a) =>
      a.guidance.some((g) => g.basis === 'board'),
    );
    if (own || !p.stance || p.stance.basis === 'board')
      throw new Error(`${id}: elke tekst in een meegeleverd protocol heeft als basis protocol, wet of advies`);
    cache.set(id, p);
  }
  return p;
}
