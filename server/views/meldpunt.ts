import { REPORT_LIMITS, SEEN_ON, SEEN_ON_LABEL, type MeldpuntSchool, type SeenOn } from '../actions/reports.ts';
import { escapeHtml } from './escape.ts';

// The public meldpunt's pages, in Dutch and English: the form (refilled with what was sent when it
// has errors) and the one-line pages around it. Everything shown was typed by a visitor or a board,
// so every value goes through the escaper.

const esc = escapeHtml;

export const TEXTS = {
  nl: {
    title: (s: string) => `Melding doen bij ${s}`,
    intro: (s: string, b: string) =>
      `Zag je iets over ${s} online of in een groepsapp — iets dat niet klopt, iemand die gepest of belachelijk gemaakt wordt, een dreiging, of gegevens of foto's van iemand die daar niet horen? Laat het de school weten. Je melding gaat naar de communicatiemedewerkers van ${b}.`,
    text: 'Wat heb je gezien?',
    textHelp: `Beschrijf wat er stond of gebeurde (max. ${REPORT_LIMITS.text} tekens). Noem alleen namen als dat nodig is.`,
    link: 'Link (als die er is)',
    seenOn: 'Waar zag je het?',
    choose: 'Kies…',
    screenshot: 'Beschrijving van een schermafbeelding (optioneel)',
    screenshotHelp: 'Stuur geen foto mee; beschrijf wat erop te zien is.',
    contact: 'Je naam en e-mailadres of telefoonnummer (optioneel)',
    contactHelp: 'Alleen als je wilt dat de school contact met je opneemt. Je mag ook anoniem melden.',
    send: 'Melding versturen',
    urgent:
      'Is er direct gevaar? Bel 112. Gaat het om een strafbaar feit, dan kun je ook aangifte doen bij de politie (0900-8844).',
    privacy:
      'De school gebruikt je melding alleen om ermee aan de slag te gaan en verwijdert haar volgens de bewaartermijnen. Je IP-adres wordt niet bewaard: om misbruik te beperken houden we één dag een code bij van het netwerk waar je vandaan meldt, die niet naar je adres terug te rekenen is.',
    thanks: 'Dank je wel, je melding is ontvangen',
    thanksBody: (s: string) =>
      `De school (${s}) bekijkt je melding. Als je contactgegevens hebt achtergelaten, kan de school contact met je opnemen. Je hoeft verder niets te doen.`,
    another: 'Nog een melding doen',
    closed: 'Dit meldpunt is op dit moment gesloten. Neem rechtstreeks contact op met de school.',
    notFound: 'Dit meldpunt bestaat niet. Controleer het adres dat je van de school kreeg.',
    ambiguous: 'Er zijn meerdere scholen met dit adres; gebruik het volledige adres dat je van de school kreeg.',
    tooMany:
      'Vanaf jouw netwerk (thuis, school of werk) zijn het afgelopen uur al een paar meldingen gedaan. Probeer het later nog eens, of neem rechtstreeks contact op met de school.',
    schoolBusy:
      'Er komen nu erg veel meldingen binnen voor deze school; probeer het later opnieuw of neem rechtstreeks contact op met de school.',
    errors: {
      text: 'Beschrijf wat je gezien hebt.',
      textLong: `Je beschrijving is te lang (max. ${REPORT_LIMITS.text} tekens).`,
      link: 'De link moet beginnen met http:// of https://.',
      linkLong: 'De link is te lang.',
      screenshotLong: 'De beschrijving van de schermafbeelding is te lang.',
      contactLong: `Contactgegevens zijn te lang (max. ${REPORT_LIMITS.contact} tekens).`,
      seenOn: 'Kies waar je het zag.',
    },
    tooLarge: 'Je melding is te groot. Maak de tekst korter.',
    fixThese: 'Controleer dit even:',
    other: 'English',
  },
  en: {
    title: (s: string) => `Report something to ${s}`,
    intro: (s: string, b: string) =>
      `Did you see something about ${s} online or in a group chat — something untrue, someone being bullied or ridiculed, a threat, or someone's details or photos that should not be there? Let the school know. Your report goes to the communications staff of ${b}.`,
    text: 'What did you see?',
    textHelp: `Describe what was said or happened (max. ${REPORT_LIMITS.text} characters). Only name people where needed.`,
    link: 'Link (if there is one)',
    seenOn: 'Where did you see it?',
    choose: 'Choose…',
    screenshot: 'Description of a screenshot (optional)',
    screenshotHelp: 'Do not send a picture; describe what it shows.',
    contact: 'Your name and e-mail or phone number (optional)',
    contactHelp: 'Only if you want the school to contact you. You may report anonymously.',
    send: 'Send report',
    urgent: 'Immediate danger? Call 112. For a crime you can also report it to the police (0900-8844).',
    privacy:
      'The school uses your report only to act on it and deletes it according to its retention periods. Your IP address is not stored: to limit abuse we keep, for one day, a code of the network you report from that cannot be traced back to your address.',
    thanks: 'Thank you, your report has been received',
    thanksBody: (s: string) =>
      `The school (${s}) will look at your report. If you left contact details, the school may contact you. There is nothing else you need to do.`,
    another: 'Make another report',
    closed: 'This report page is closed at the moment. Please contact the school directly.',
    notFound: 'This report page does not exist. Check the address the school gave you.',
    ambiguous: 'Several schools share this address; use the full address the school gave you.',
    tooMany:
      'Several reports have come from your network (home, school or work) in the past hour. Please try again later, or contact the school directly.',
    schoolBusy:
      'Very many reports are coming in for this school right now; please try again later or contact the school directly.',
    errors: {
      text: 'Describe what you saw.',
      textLong: `Your description is too long (max. ${REPORT_LIMITS.text} characters).`,
      link: 'The link must start with http:// or https://.',
      linkLong: 'The link is too long.',
      screenshotLong: 'The screenshot description is too long.',
      contactLong: `Contact details are too long (max. ${REPORT_LIMITS.contact} characters).`,
      seenOn: 'Choose where you saw it.',
    },
    tooLarge: 'Your report is too large. Please shorten the text.',
    fixThese: 'Please check:',
    other: 'Nederlands',
  },
};
export type Lang = keyof typeof TEXTS;

export function meldpuntPage(lang: Lang, title: string, body: string, status = 200) {
  const html = `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
main{max-width:40rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
label{display:block;font-weight:600;margin-top:1.1rem}
.help{font-size:.9rem;color:#4a5263;margin:.15rem 0 .35rem}
textarea,input,select{width:100%;box-sizing:border-box;font:inherit;padding:.55rem;border:1px solid #9aa3b5;border-radius:6px;background:#fff}
textarea{min-height:9rem}
button{margin-top:1.4rem;font:inherit;font-weight:600;padding:.7rem 1.2rem;border:0;border-radius:6px;background:#1f5fbf;color:#fff;cursor:pointer}
.note{background:#fff;border-left:4px solid #1f5fbf;padding:.6rem .9rem;margin:1rem 0}
.errors{background:#fdecec;border-left:4px solid #b3261e;padding:.6rem .9rem}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.lang{float:right;font-size:.9rem}
</style></head><body><main>${body}</main></body></html>`;
  return new Response(html, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  });
}

export type FormValues = { text: string; link: string; seenOn: string; screenshot: string; contact: string };
export const emptyForm: FormValues = { text: '', link: '', seenOn: '', screenshot: '', contact: '' };

export function meldpuntForm(lang: Lang, school: MeldpuntSchool, action: string, v: FormValues, errors: string[] = []) {
  const t = TEXTS[lang];
  const other: Lang = lang === 'nl' ? 'en' : 'nl';
  const opt = (k: SeenOn) =>
    `<option value="${k}"${v.seenOn === k ? ' selected' : ''}>${esc(SEEN_ON_LABEL[k].replace(/^een /, lang === 'en' ? 'a ' : 'een '))}</option>`;
  return meldpuntPage(
    lang,
    t.title(school.schoolName),
    `<a class="lang" href="${esc(action)}?lang=${other}">${t.other}</a>
<h1>${esc(t.title(school.schoolName))}</h1>
<p>${esc(t.intro(school.schoolName, school.boardName))}</p>
<p class="note">${esc(t.urgent)}</p>
${errors.length ? `<div class="errors" role="alert"><strong>${esc(t.fixThese)}</strong><ul>${errors.map((e) => `<li>${esc(e)}</li>`).join('')}</ul></div>` : ''}
<form method="post" action="${esc(action)}?lang=${lang}">
<label for="text">${esc(t.text)}</label><p class="help" id="text-help">${esc(t.textHelp)}</p>
<textarea id="text" name="text" required maxlength="${REPORT_LIMITS.text}" aria-describedby="text-help">${esc(v.text)}</textarea>
<label for="seenOn">${esc(t.seenOn)}</label>
<select id="seenOn" name="seenOn"><option value="">${esc(t.choose)}</option>${SEEN_ON.map(opt).join('')}</select>
<label for="link">${esc(t.link)}</label>
<input id="link" name="link" type="url" inputmode="url" maxlength="${REPORT_LIMITS.link}" value="${esc(v.link)}" placeholder="https://…">
<label for="screenshot">${esc(t.screenshot)}</label><p class="help" id="shot-help">${esc(t.screenshotHelp)}</p>
<textarea id="screenshot" name="screenshot" maxlength="${REPORT_LIMITS.screenshot}" aria-describedby="shot-help" style="min-height:5rem">${esc(v.screenshot)}</textarea>
<label for="contact">${esc(t.contact)}</label><p class="help" id="contact-help">${esc(t.contactHelp)}</p>
<input id="contact" name="contact" maxlength="${REPORT_LIMITS.contact}" value="${esc(v.contact)}" aria-describedby="contact-help" autocomplete="off">
<div class="hp" aria-hidden="true"><label for="website">Website</label><input id="website" name="website" tabindex="-1" autocomplete="off"></div>
<button type="submit">${esc(t.send)}</button>
</form>
<p class="help">${esc(t.privacy)}</p>`,
    errors.length ? 400 : 200,
  );
}

// When the database is away the public page still answers, in plain words, and nothing is lost
// silently: the parent knows to try again.
export function meldpuntUnavailable(lang: Lang) {
  const text =
    lang === 'en'
      ? {
          title: 'Try again later',
          body: 'The report form cannot be used right now. Your report has not been sent; please try again in a few minutes.',
        }
      : {
          title: 'Probeer het later opnieuw',
          body: 'Het meldpunt is even niet bereikbaar. Je melding is niet verstuurd; probeer het over een paar minuten opnieuw.',
        };
  return meldpuntPage(lang, text.title, `<h1>${esc(text.title)}</h1><p>${esc(text.body)}</p>`, 503);
}
