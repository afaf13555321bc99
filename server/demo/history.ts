import type { DemoPost } from './mentions.ts';

// Six months of generated history for the demo board, so the directors' Overzicht shows something
// real-looking: an ordinary rhythm of news, praise and complaints per school, quiet holiday weeks,
// a theme that grows (lesuitval and invallers at De Meander in the last weeks), a musical that is
// praised, and a discussion about the schoolplein of the Jozefschool that flares up today. Each
// calendar day's posts follow from its date alone, so a demo that runs for days (or restarts) gets
// the same posts with the same ids for the same days, never copies.

export const HISTORY_DAYS = 182;

type Template = { site: string; author: string; title: string; text: string };

const SCHOOLS = [
  { name: 'De Meander', alt: 'obs De Meander' },
  { name: 'de Jozefschool', alt: 'St. Jozefschool' },
  { name: 'De Pontonnier', alt: 'De Pontonnier' },
];

const neutral: Template[] = [
  {
    site: 'Regio Nieuws',
    author: 'Redactie',
    title: 'Inschrijving nieuwe leerlingen',
    text: 'Bij {s} kunnen ouders hun kind tot eind van de maand aanmelden voor het nieuwe schooljaar.',
  },
  {
    site: 'Amersfoortse Courant',
    author: 'Redactie',
    title: 'Verbouwing gymzaal',
    text: 'De gymzaal naast {s} wordt deze maand opgeknapt; de lessen gaan door in de sporthal.',
  },
  {
    site: 'Facebook (openbare groep)',
    author: 'Wijkvereniging',
    title: '',
    text: 'Weet iemand tot hoe laat de opvang bij {s} open is op vrijdag?',
  },
  {
    site: 'X (openbaar)',
    author: 'wijkagent_noord',
    title: '',
    text: 'Vanochtend verkeerscontrole bij {s}. Fijn dat iedereen rustig reed.',
  },
  {
    site: 'Regio Nieuws',
    author: 'Redactie',
    title: 'Studiedag',
    text: '{s} heeft volgende week een studiedag; de kinderen zijn dan vrij.',
  },
];

const positive: Template[] = [
  {
    site: 'Facebook (openbare pagina)',
    author: 'ouder',
    title: '',
    text: 'Wat een leuke sportdag bij {s}! De kinderen hebben genoten. Top georganiseerd.',
  },
  {
    site: 'Google Reviews',
    author: 'ouder',
    title: '',
    text: 'Fijne school, {s}. Betrokken leerkrachten en een goede sfeer. Aanrader!',
  },
  {
    site: 'Instagram (openbaar)',
    author: 'groep8fan',
    title: '',
    text: 'Het voorleesproject van {s} is echt geweldig, mijn zoon leest nu elke avond.',
  },
  {
    site: 'Amersfoortse Courant',
    author: 'Redactie',
    title: 'Schooltuin wint prijs',
    text: 'De schooltuin van {s} heeft de gemeentelijke groenprijs gewonnen. Mooi werk van de leerlingen.',
  },
];

const negative: Template[] = [
  {
    site: 'Forum Ouders Online',
    author: 'bezorgde_ouder',
    title: '',
    text: 'Slecht geregeld bij {s}: de nieuwsbrief kwam weer te laat en niemand wist van de toets.',
  },
  {
    site: 'X (openbaar)',
    author: 'buurman_k',
    title: '',
    text: 'Elke ochtend dubbel parkeren voor {s}, levensgevaarlijk voor de kinderen. Doe er wat aan!',
  },
  {
    site: 'Facebook (openbare groep)',
    author: 'ouder',
    title: '',
    text: 'Waarom is het overblijven bij {s} zo duur geworden? Erg teleurstellend.',
  },
];

const lesuitval: Template[] = [
  {
    site: 'Forum Ouders Online',
    author: 'moeder_van_drie',
    title: '',
    text: 'Alweer lesuitval bij {s}, groep 5 zit vandaag thuis. Waar blijven de invallers?',
  },
  {
    site: 'Facebook (openbare groep)',
    author: 'ouder',
    title: '',
    text: 'Derde keer deze maand lesuitval op {s}. Geen invaller te vinden, zeggen ze. Slecht geregeld.',
  },
  {
    site: 'X (openbaar)',
    author: 'papa_amf',
    title: '',
    text: 'Lesuitval op {s} wordt echt een probleem. Invallers komen en gaan, de kinderen missen veel.',
  },
];

const musical: Template[] = [
  {
    site: 'Facebook (openbare pagina)',
    author: 'ouder',
    title: '',
    text: 'Prachtige musical van groep 8 van {s}! Wat hebben ze goed gezongen en gespeeld.',
  },
  {
    site: 'Instagram (openbaar)',
    author: 'oma_van_lotte',
    title: '',
    text: 'Genoten van de musical op {s}. Wat een talent, wat een decor!',
  },
];

const schoolplein: Template[] = [
  {
    site: 'Facebook (openbare groep)',
    author: 'buurtbewoner',
    title: '',
    text: 'Het schoolplein van {s} is alweer afgesloten na schooltijd. Belachelijk, waar moeten de kinderen spelen?',
  },
  {
    site: 'X (openbaar)',
    author: 'wijkraad_noord',
    title: '',
    text: 'Afgesloten schoolplein bij {s}: slecht besluit, de buurt is boos.',
  },
  {
    site: 'Forum Ouders Online',
    author: 'ouder',
    title: '',
    text: 'Schoolplein {s} dicht na 15 uur, slecht nieuws voor de wijk. Wie heeft dat bedacht?',
  },
];

// A small deterministic generator (mulberry32), so the demo is the same on every machine.
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The holiday in the history, in days before now (the demo board's calendar gets the same week).
export const DEMO_HOLIDAY = { fromDay: 42, toDay: 35, label: 'Herfstvakantie' };
export const DEMO_MUSICAL_DAY = 10;

export type HistoryPost = Omit<DemoPost, 'hoursAgo'> & { guid: string; publishedAt: Date; url: string };

// Where each kind of post would be; .example addresses, because these posts exist nowhere.
const HOSTS: Record<string, string> = {
  'Regio Nieuws': 'regionieuws.example.nl',
  'Amersfoortse Courant': 'amersfoortsecourant.example.nl',
  'Facebook (openbare groep)': 'facebook.example',
  'Facebook (openbare pagina)': 'facebook.example',
  'X (openbaar)': 'x.example',
  'Instagram (openbaar)': 'instagram.example',
  'Google Reviews': 'reviews.example',
  'Forum Ouders Online': 'forum-ouders.example',
};
const urlOf = (site: string, guid: string) => `https://${HOSTS[site] ?? 'demo.example'}/${guid}`;

const hash = (s: string) => [...s].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);
const shortDate = (d: Date) => d.toLocaleDateString('nl-NL', { day: 'numeric', month: 'short', timeZone: 'UTC' });

export function historyPosts(now: Date): HistoryPost[] {
  const out: HistoryPost[] = [];
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (let day = HISTORY_DAYS; day >= 1; day--) {
    const date = new Date(today - day * 86_400_000);
    const iso = date.toISOString().slice(0, 10);
    const rnd = random(hash(iso));
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
    let n = 0;
    const add = (t: Template, school: number) => {
      const s = SCHOOLS[school];
      const guid = `klankbord-demo-${iso}-${n++}`;
      out.push({
        guid,
        url: urlOf(t.site, guid),
        site: t.site,
        author: t.author,
        title: t.title.replace('{s}', s.name),
        text: `${t.text.replace('{s}', rnd() < 0.3 ? s.alt : s.name)} (${shortDate(date)})`,
        publishedAt: new Date(date.getTime() + (6 + Math.floor(rnd() * 12)) * 3_600_000),
      });
    };
    const weekday = date.getUTCDay();
    const holiday = day <= DEMO_HOLIDAY.fromDay && day >= DEMO_HOLIDAY.toDay;
    const quiet = holiday || weekday === 0 || weekday === 6;
    for (let school = 0; school < SCHOOLS.length; school++) {
      const n = Math.floor(rnd() * (quiet ? 1.3 : 3));
      for (let i = 0; i < n; i++) {
        const r = rnd();
        add(r < 0.45 ? pick(neutral) : r < 0.8 ? pick(positive) : pick(negative), school);
      }
    }
    // De Meander: lesuitval grows in the last four weeks.
    if (day <= 28 && !quiet && rnd() < 0.55) add(pick(lesuitval), 0);
    if (day > 28 && day % 30 === 0) add(pick(lesuitval), 0);
    // The musical of groep 8, praised for a few days.
    if (day <= DEMO_MUSICAL_DAY && day >= DEMO_MUSICAL_DAY - 3) add(pick(musical), 0);
  }
  return out;
}

const TAILS = [
  'Schandalig.',
  'Doe er wat aan.',
  'De buurt is boos.',
  'Jammer voor de kinderen.',
  'Hier moet over gepraat worden.',
  'Ik snap er niks van.',
  'Tijd voor actie.',
  'Zo gaat het al weken.',
];

// Today's flare-up at the Jozefschool: enough negative posts in one day to raise the spike prompt.
export function flareUpPosts(now: Date): HistoryPost[] {
  const iso = now.toISOString().slice(0, 10);
  return Array.from({ length: 8 }, (_, i) => {
    const t = schoolplein[i % schoolplein.length];
    const guid = `klankbord-demo-${iso}-plein-${i}`;
    return {
      guid,
      url: urlOf(t.site, guid),
      site: t.site,
      author: `${t.author}${i + 1}`,
      title: '',
      text: `${t.text.replace('{s}', SCHOOLS[1].name)} ${TAILS[i % TAILS.length]}`,
      publishedAt: new Date(now.getTime() - (1 + i * 2) * 3_600_000),
    };
  });
}
