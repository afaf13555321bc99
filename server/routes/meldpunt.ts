import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { DB } from '../db/index.ts';
import { clientIp } from './http.ts';
import { log } from '../log.ts';
import { admitReport, findMeldpunt, REPORT_LIMITS, SEEN_ON, submitReport, type SeenOn } from '../actions/reports.ts';
import { escapeHtml } from '../views/escape.ts';
import { emptyForm, meldpuntForm, meldpuntPage, TEXTS, type FormValues, type Lang } from '../views/meldpunt.ts';

// The public meldpunt: a plain HTML form per school that works without JavaScript, on any phone.
// No login, so: a size cap on the request, a honeypot field for bots, a rate limit per address range,
// reports past a school's hourly cap held back rather than refused, and nothing shown back that
// another visitor sent.

const esc = escapeHtml;

function validate(lang: Lang, v: FormValues): string[] {
  const e = TEXTS[lang].errors;
  const out: string[] = [];
  if (!v.text.trim()) out.push(e.text);
  if (v.text.length > REPORT_LIMITS.text) out.push(e.textLong);
  if (v.link && !/^https?:\/\/[^\s]+$/i.test(v.link.trim())) out.push(e.link);
  if (v.link.length > REPORT_LIMITS.link) out.push(e.linkLong);
  if (v.screenshot.length > REPORT_LIMITS.screenshot) out.push(e.screenshotLong);
  if (v.contact.length > REPORT_LIMITS.contact) out.push(e.contactLong);
  if (v.seenOn && !(SEEN_ON as readonly string[]).includes(v.seenOn)) out.push(e.seenOn);
  return out;
}

const langOf = (c: Context): Lang => (c.req.query('lang') === 'en' ? 'en' : 'nl');

// now: the clock a report is collected at (tests set it, as for the API)
export function meldpuntRoutes(db: DB, now: () => Date = () => new Date()) {
  const app = new Hono();
  const resolve = async (c: Context) => {
    const lang = langOf(c);
    const found = await findMeldpunt(db, c.req.param('school')!, c.req.param('board'));
    if (found === 'ambiguous')
      return { error: meldpuntPage(lang, TEXTS[lang].title(''), `<h1>${esc(TEXTS[lang].ambiguous)}</h1>`, 404) };
    if (!found) return { error: meldpuntPage(lang, 'Meldpunt', `<h1>${esc(TEXTS[lang].notFound)}</h1>`, 404) };
    if (!found.open)
      return {
        error: meldpuntPage(
          lang,
          TEXTS[lang].title(found.schoolName),
          `<h1>${esc(TEXTS[lang].title(found.schoolName))}</h1><p>${esc(TEXTS[lang].closed)}</p>`,
          410,
        ),
      };
    return { school: found };
  };
  const show = async (c: Context) => {
    const r = await resolve(c);
    return r.error ?? meldpuntForm(langOf(c), r.school, c.req.path, emptyForm);
  };
  const receive = async (c: Context) => {
    const lang = langOf(c);
    const r = await resolve(c);
    if (r.error) return r.error;
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const get = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
    const v: FormValues = {
      text: get('text'),
      link: get('link').trim(),
      seenOn: get('seenOn'),
      screenshot: get('screenshot'),
      contact: get('contact'),
    };
    // A filled honeypot is a bot: it gets the same thank-you page, and nothing is stored.
    if (get('website')) return meldpuntPage(lang, TEXTS[lang].thanks, `<h1>${esc(TEXTS[lang].thanks)}</h1>`);
    const errors = validate(lang, v);
    if (errors.length) return meldpuntForm(lang, r.school, c.req.path, v, errors);
    const ip = clientIp(c);
    const admission = await admitReport(db, ip, r.school.schoolId);
    if (admission === 'range' || admission === 'full') {
      const page = meldpuntPage(
        lang,
        TEXTS[lang].title(r.school.schoolName),
        `<h1>${esc(TEXTS[lang].title(r.school.schoolName))}</h1><p class="errors">${esc(admission === 'range' ? TEXTS[lang].tooMany : TEXTS[lang].schoolBusy)}</p>`,
        admission === 'range' ? 429 : 503,
      );
      if (admission === 'full') page.headers.set('retry-after', '900');
      return page;
    }
    const held = admission === 'hold';
    const id = await submitReport(
      db,
      r.school,
      {
        text: v.text,
        link: v.link || undefined,
        seenOn: (v.seenOn || undefined) as SeenOn | undefined,
        screenshot: v.screenshot || undefined,
        contact: v.contact || undefined,
      },
      ip,
      { held, now: now() },
    );
    if (held)
      log.warn({ mentionId: id, schoolId: r.school.schoolId }, 'meldpunt report held back: many reports this hour');
    else log.info({ mentionId: id, schoolId: r.school.schoolId }, 'meldpunt report received');
    return meldpuntPage(
      lang,
      TEXTS[lang].thanks,
      `<h1>${esc(TEXTS[lang].thanks)}</h1><p>${esc(TEXTS[lang].thanksBody(r.school.schoolName))}</p><p class="note">${esc(TEXTS[lang].urgent)}</p><p><a href="${esc(c.req.path)}?lang=${lang}">${esc(TEXTS[lang].another)}</a></p>`,
    );
  };
  const limit = bodyLimit({
    maxSize: 32 * 1024,
    onError: (c) => meldpuntPage(langOf(c), 'Meldpunt', `<h1>${esc(TEXTS[langOf(c)].tooLarge)}</h1>`, 413),
  });
  app.get('/:school', show);
  app.get('/:board/:school', show);
  app.post('/:school', limit, receive);
  app.post('/:board/:school', limit, receive);
  return app;
}
