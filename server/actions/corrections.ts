import { HTTPException } from 'hono/http-exception';
import { can, type Viewer } from '../access.ts';
import { recordEvent } from './cases.ts';
import {
  caseActionFacts,
  caseDraft,
  correctionTarget,
  draftOfPostElsewhere,
  insertDraft,
  markOnlineActionsDone,
  updateDraft,
} from '../db/corrections.ts';
import { inTransaction, type DB } from '../db/index.ts';

// The online responses a protocol allows: a short, friendly, factual correction that quotes the
// school's fact sheet, and — only where the protocol lets the school react (obs Meander art. 8) — a
// short reply from the school account to a post about the school. Communications staff draft and edit
// it, the directie approves or rejects it (Klankbord's advice, in every preset), and a person posts
// the approved text on the platform. Klankbord never posts anything.

type CaseRef = { id: string; school_id: string; school_name: string; types: string[] };
const fail = (status: 400 | 403 | 404 | 409, message: string): never => {
  throw new HTTPException(status, { message });
};

// "Zie https://…" inside a fact is its official source: quoted as a link, not as part of the sentence.
export function draftText(schoolName: string, facts: string[]): string {
  const links: string[] = [];
  const quoted = facts.map((f) => {
    const plain = f
      .replace(/\s*\(?(?:zie|meer informatie|bron)?:?\s*(https?:\/\/\S+?)\)?(?=[\s.]*$|\s)/gi, (_m, url: string) => {
        links.push(url.replace(/[).,]+$/, ''));
        return '';
      })
      .trim();
    return /[.!?]$/.test(plain) ? plain : `${plain}.`;
  });
  const body = quoted.length ? quoted.join(' ') : '[vul hier het juiste feit in]';
  return [
    `Goedendag, een korte aanvulling vanuit ${schoolName}: ${body}`,
    links.length ? `Meer informatie: ${[...new Set(links)].join(' ')}` : '',
    'Heeft u vragen? Neem gerust contact op met de school.',
  ]
    .filter(Boolean)
    .join('\n');
}

// A reply to a post about the school (not a person): an invitation to talk, no discussion online.
export const replyText = (schoolName: string) =>
  [
    `Goedendag, dank u voor uw bericht over ${schoolName}. We horen graag wat er speelt en gaan er liever persoonlijk over in gesprek dan hier.`,
    'Neemt u contact op met de school? Dan maken we een afspraak.',
  ].join('\n');

const onlineType = (types: string[]) =>
  types.includes('correct_online') ? 'correct_online' : types.includes('reply_online') ? 'reply_online' : undefined;

function mayDraft(v: Viewer, c: CaseRef) {
  if (!can(v, 'correction.draft', c.school_id)) fail(403, 'Alleen communicatie en directie stellen een correctie op');
}

export async function createDraft(db: DB, v: Viewer, c: CaseRef, ip?: string) {
  mayDraft(v, c);
  // The invariant: no online response unless the protocol allows one for this discussion.
  const type = onlineType(c.types);
  if (!type)
    fail(
      409,
      'Volgens het beleid reageert de school hier niet online: er is geen onjuistheid gevonden. Ga in real life in gesprek.',
    );
  if (await caseDraft(db, c.id)) fail(409, 'Er is al een concept voor deze zaak');
  const facts = await caseActionFacts(db, c.id, type!);
  const target = await correctionTarget(db, c.id);
  // One post, one correction: the post may be in a case of another school too.
  const elsewhere = target ? await draftOfPostElsewhere(db, target, c.id) : undefined;
  if (elsewhere) fail(409, oneCorrectionMessage(v, elsewhere));
  try {
    await inTransaction(db, async (trx) => {
      const text = type === 'reply_online' ? replyText(c.school_name) : draftText(c.school_name, facts);
      await insertDraft(trx, { caseId: c.id, mentionId: target ?? null, text, draftedBy: v.email });
      await recordEvent(trx, v, c.id, 'correction_drafted', {}, ip);
    });
  } catch (err) {
    // drafted at the same moment at the other school
    if ((err as { constraint?: string }).constraint === 'correction_drafts_one_per_post_idx') {
      const other = await draftOfPostElsewhere(db, target!, c.id);
      fail(409, other ? oneCorrectionMessage(v, other) : 'Voor dit bericht is al een correctie in de maak');
    }
    throw err;
  }
}

function oneCorrectionMessage(v: Viewer, other: { case_id: string; school: string; school_id: string }) {
  const where = v.schoolIds.includes(other.school_id) ? ` (zaak ${other.case_id}, ${other.school})` : '';
  return `Dit bericht krijgt al een correctie vanuit een andere school${where}: één bericht krijgt hoogstens één correctie. Stem de tekst daar af.`;
}

async function draftOf(db: DB, caseId: string) {
  return (await caseDraft(db, caseId)) ?? fail(404, 'Er is nog geen concept-correctie');
}

// Editing an approved text sends it back to the directie.
export async function editDraft(db: DB, v: Viewer, c: CaseRef, text: string, ip?: string) {
  mayDraft(v, c);
  const d = await draftOf(db, c.id);
  if (d.state === 'geplaatst') fail(409, 'Deze correctie is al geplaatst');
  await inTransaction(db, async (trx) => {
    await updateDraft(trx, d.id, {
      text,
      state: 'concept',
      decided_by: null,
      decided_at: null,
      reason: null,
      updated_at: new Date(),
    });
    await recordEvent(trx, v, c.id, 'correction_edited', { previous: d.text, text }, ip);
  });
}

export async function decideDraft(
  db: DB,
  v: Viewer,
  c: CaseRef,
  decision: 'goedkeuren' | 'afwijzen',
  opts: { text?: string; reason?: string },
  ip?: string,
) {
  if (!can(v, 'correction.decide', c.school_id)) fail(403, 'Alleen de directie keurt een correctie goed of af');
  const d = await draftOf(db, c.id);
  if (d.state === 'geplaatst') fail(409, 'Deze correctie is al geplaatst');
  if (decision === 'afwijzen' && !opts.reason?.trim())
    fail(400, 'Geef kort aan waarom de correctie niet geplaatst wordt');
  const text = decision === 'goedkeuren' && opts.text?.trim() ? opts.text.trim() : d.text;
  await inTransaction(db, async (trx) => {
    await updateDraft(trx, d.id, {
      state: decision === 'goedkeuren' ? 'goedgekeurd' : 'afgewezen',
      text,
      decided_by: v.email,
      decided_at: new Date(),
      reason: opts.reason?.trim() || null,
      updated_at: new Date(),
    });
    await recordEvent(
      trx,
      v,
      c.id,
      decision === 'goedkeuren' ? 'correction_approved' : 'correction_rejected',
      {
        text,
        ...(opts.reason ? { reason: opts.reason.trim() } : {}),
        ...(text !== d.text ? { previous: d.text } : {}),
      },
      ip,
    );
  });
}

// A person posted the approved text themselves: the checklist's correction is done.
export async function markPosted(db: DB, v: Viewer, c: CaseRef, ip?: string) {
  mayDraft(v, c);
  const d = await draftOf(db, c.id);
  if (d.state !== 'goedgekeurd') fail(409, 'Alleen een door de directie goedgekeurde correctie kan geplaatst worden');
  await inTransaction(db, async (trx) => {
    const now = new Date();
    await updateDraft(trx, d.id, { state: 'geplaatst', posted_by: v.email, posted_at: now, updated_at: now });
    await markOnlineActionsDone(trx, c.id, v.email, now);
    await recordEvent(trx, v, c.id, 'correction_posted', { text: d.text }, ip);
  });
}
