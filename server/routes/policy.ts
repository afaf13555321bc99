import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { clientIp, jsonBody, parseOrThrow, type Env } from './http.ts';
import { PolicyProblem, policyState, restorePolicy, savePolicy } from '../actions/policy.ts';
import { editorView } from '../../workers/policy/edit.ts';
import { loadPreset, PRESET_IDS } from '../../workers/policy/presets.ts';

// /api/policy: the board's protocol rules, their versions, and changes to them (server/policyAdmin.ts).

// Guidance comes as parts (their text; the basis a part claims is ignored: the server takes it from
// the protocol file, and a changed text is the board's own). The article of a rule is the file's.
const part = z.strictObject({
  text: z.string().max(5000),
  basis: z.string().max(20).optional(),
  article: z.string().max(200).optional(),
});
const action = z.strictObject({
  type: z.string().max(40),
  roles: z.array(z.string().max(40)).max(20),
  dueDays: z.number(),
  guidance: z.array(part).max(20),
});
const editSchema = z.strictObject({
  presetId: z.enum(PRESET_IDS, { message: `kies een protocol: ${PRESET_IDS.join(', ')}` }),
  baseVersion: z.number().int().nullable(),
  note: z
    .string()
    .trim()
    .min(3, 'schrijf in een zin waarom het beleid verandert')
    .max(500, 'de toelichting is te lang (hoogstens 500 tekens)'),
  spike: action
    .omit({ type: true })
    .extend({ basis: z.string().max(20).optional(), article: z.string().max(500).optional() }),
  rules: z
    .array(
      z.strictObject({
        id: z.string().max(60),
        enabled: z.boolean(),
        article: z.string().max(500).optional(),
        actions: z.array(action).max(20),
      }),
    )
    .max(60),
});

async function answer(c: Context<Env>, work: () => Promise<unknown>) {
  try {
    await work();
    return c.json(await policyState(c.var.db, c.var.viewer));
  } catch (err) {
    if (err instanceof PolicyProblem) return c.json({ error: err.message, problems: err.problems }, err.status);
    throw err;
  }
}

export const policyRoutes = new Hono<Env>()
  .get('/', async (c) => c.json(await policyState(c.var.db, c.var.viewer)))
  // A preset as shipped: what the editor shows when switching protocol or starting over.
  .get('/presets/:id', (c) => {
    const id = c.req.param('id');
    if (!(PRESET_IDS as readonly string[]).includes(id)) return c.json({ error: `Onbekend protocol "${id}"` }, 404);
    return c.json({ ...editorView(loadPreset(id)), version: null });
  })
  .put('/', async (c) => {
    const edit = parseOrThrow(editSchema, await jsonBody(c));
    return answer(c, () => savePolicy(c.var.db, c.var.viewer, edit, clientIp(c)));
  })
  .post('/versions/:version/restore', async (c) => {
    const version = Number(c.req.param('version'));
    if (!Number.isInteger(version) || version < 1) return c.json({ error: 'Onbekende versie' }, 404);
    return answer(c, () => restorePolicy(c.var.db, c.var.viewer, version, clientIp(c)));
  });
