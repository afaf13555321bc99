import { QUESTION_ONLY, readList, sentenceAt, fold } from './text.ts';
import { PhraseSet } from './phrases.ts';
import type { Evidence, Risk } from './types.ts';
import type { Doc } from './doc.ts';
import { contradictedFacts } from './facts.ts';

// A factual claim about the school that may be false: hearsay ("ik hoorde dat", "schijnbaar",
// "klopt het dat") about something that matters (closure, merger, dismissal, arrest, fees, a
// decision, an inspection verdict, an incident), or a claim that contradicts the school's own fact
// sheet. A claim the news attributes to the board, the school or the police is reporting, not rumour.
// When a fact is contradicted it is part of the evidence, so the correction can quote it.

type Topic = { topic: string; re: PhraseSet };
const byTopic = (file: string): Topic[] => {
  const groups = new Map<string, string[]>();
  for (const line of readList(file)) {
    const [topic, phrase] = line.split('\t');
    if (!topic || !phrase) continue;
    groups.set(topic, [...(groups.get(topic) ?? []), phrase.trim()]);
  }
  return [...groups].map(([topic, phrases]) => ({ topic, re: new PhraseSet(phrases) }));
};

const CLAIMS = byTopic('claims.txt');
const FACT_TOPICS = byTopic('fact-topics.txt');
const rumourRe = new PhraseSet(readList('rumour.txt'));
const officialRe = new PhraseSet(readList('official.txt'));
// Markers that relay a claim by themselves; the others ("volgens", "zou", "ik las") need a topic or a
// word about the school nearby.
const STRONG =
  /^(ik hoorde|ik heb gehoord|heb gehoord|hoorde dat|schijnbaar|blijkbaar|naar verluidt|het schijnt|schijnt|gerucht|geruchten|ze zeggen|men zegt|wordt gezegd|(meerdere|andere|sommige) ouders|geen idee of|weet niet of|wist je dat|wist u dat|klopt het|is het waar|is dat|klopt dat|kan iemand|can anyone|is this true|i heard|apparently|rumou?rs?|supposedly|allegedly|via via|naar ik hoor|hoor net|ik hoor|heb ik begrepen|ik heb begrepen)/;
const MONEY = /(?:€\s?\d+(?:[.,]\d+)?|\d+(?:[.,]\d+)?\s?(?:euro|eur)\b)/g;
const NEGATION = /(?<![\p{L}])(geen|niet|nooit|blijft|blijven|gewoon open|onterecht|klopt niet|not|no)(?![\p{L}])/u;
const SCHOOL_WORDS =
  /(?<![\p{L}])(school|juf|meester|leraar|lerares|docent|directeur|directie|bestuur|mentor|conciërge|concierge|rector|leerling|locatie|klas|groep)/u;

type Claim = { topic: string; start: number; end: number };

function claimsIn(folded: string): Claim[] {
  const out: Claim[] = [];
  for (const { topic, re } of CLAIMS) {
    for (const m of re.all(folded)) out.push({ topic, start: m.index!, end: m.index! + m[0].length });
  }
  // An amount is a claim about fees only next to a word for them ("3 euro voor een broodje" is not).
  for (const m of folded.matchAll(MONEY)) {
    const s = sentenceAt(folded, m.index!);
    if (
      /(ouderbijdrage|schoolgeld|bijdrage|schoolkosten|kosten voor|betalen voor|lesgeld|kampgeld)/.test(
        folded.slice(s.start, s.end),
      )
    )
      out.push({ topic: 'fee', start: m.index!, end: m.index! + m[0].length });
  }
  return out.sort((a, b) => a.start - b.start);
}

// What a fact is about and on which topics it denies something: worked out once per fact sheet line,
// not for every mention.
type FactInfo = { fact: string; folded: string; topics: Set<string>; negated: Set<string> };
const factCache = new Map<string, FactInfo>();
function factInfo(fact: string): FactInfo {
  let info = factCache.get(fact);
  if (!info) {
    const f = fold(fact);
    info = { fact, folded: f, topics: new Set(), negated: new Set() };
    for (const { topic, re } of [...CLAIMS, ...FACT_TOPICS]) {
      const found = re.all(f);
      if (!found.length) continue;
      info.topics.add(topic);
      if (found.some((m) => NEGATION.test(f.slice(Math.max(0, m.index - 30), m.index + m[0].length + 12))))
        info.negated.add(topic);
    }
    if (factCache.size > 5000) factCache.clear();
    factCache.set(fact, info);
  }
  return info;
}

const NUMBER_WORDS: Record<string, number> = {
  een: 1,
  twee: 2,
  drie: 3,
  vier: 4,
  vijf: 5,
  zes: 6,
  zeven: 7,
  acht: 8,
  negen: 9,
  tien: 10,
};
const numbers = (s: string) => [
  ...[...s.matchAll(/\d+(?:[.,]\d+)?/g)].map((m) => Number(m[0].replace(',', '.'))),
  ...[
    ...s.matchAll(/(?<![\p{L}])(twee|drie|vier|vijf|zes|zeven|acht|negen|tien)(daagse|jarige|dagen|uur)?(?![\p{L}])/gu),
  ].map((m) => NUMBER_WORDS[m[1]!]!),
];

// Does the claim's sentence say something else than the fact? Different amounts, or one of the two
// denies what the other asserts ("gaat dicht" against "blijft open").
// Negation near the claim, not anywhere in the sentence: "heeft nu ook een continurooster, dus geen
// overblijf meer" asserts the rooster.
function contradicts(claimSentence: string, claimAround: string, fact: FactInfo, topic: string): boolean {
  if (topic === 'fee' || topic === 'decision') {
    const a = numbers(claimSentence);
    const b = numbers(fact.folded);
    if (a.length && b.length) return !a.some((n) => b.includes(n));
  }
  return NEGATION.test(claimAround) !== fact.negated.has(topic);
}

const REQUIRE_TOPIC = false;
const RUMOUR_ONLY =
  /^(dat zegt iedereen|hoor je overal|hoor ik overal|volgens ingewijden|ik hoorde dat|ik heb gehoord|heb gehoord|hoorde dat|hoor ~ dat|gerucht|geruchten|schijnbaar|blijkbaar|naar verluidt|naar het schijnt|het schijnt|schijnt|via via|wist je dat|wist u dat|men zegt|ze zeggen|wordt gezegd|het verhaal gaat|er gaat een verhaal|rumou?rs?|apparently|supposedly|allegedly|i heard|heard from|word is)/;
// Topics a plain claim is a possible inaccuracy on, without any hearsay marker.
const PLAIN_TOPICS = new Set([
  'closure',
  'merger',
  'inspection',
  'dismissal',
  'arrest',
  'decision',
  'fee',
  'admission',
]);
// Decisions, fees and admission are claims only as news about the school: the school is named or
// meant, and something changes ("schrapt", "vanaf januari", "gaat … vragen", "neemt geen … meer aan").
const SCHOOL_SUBJECT =
  /(school|scholen|college|lyceum|gymnasium|\bobs|\bcbs|\bpcbs|\brkbs|kindcentrum|\bisk|academie|\bdirectie|\bbestuur|schoolleiding)\b/;
const CHANGE =
  /\b(gaat|gaan|wordt|worden|vanaf|volgend|volgende|voortaan|nu ook|niet meer|geen \S+ (\S+ )?meer|schrapt|schrappen|geschrapt|voert|voeren|ingevoerd|in beslag|verhoogt|verhogen|verhoogd|verdubbeld|stopt|stoppen|neemt geen|nemen geen|afgeschaft|schaft|schaffen)\b/;
// A dismissal is a claim only about staff, said as done (not "moet ontslagen worden").
const STAFF =
  /\b(directeur|directrice|juf|meester|docent|docente|leraar|lerares|leerkracht|conciërge|concierge|rector|mentor|teamleider|conrector|schoolleider|bestuurder|gymleraar|invaller)\b/;
const DEMAND = /\b(moet|moeten|zou|zouden|hoort|horen|mag|mogen|wil|willen|eis|eisen|had|hadden|graag)\b/;
// "klopt het dat …?" only asks; "er gaat een filmpje rond" shares a video, it spreads no claim; "het
// gerucht … klopt niet" denies one.
const SHARED =
  /(filmpje|foto|video|naaktfoto|nude|meme|screenshot|beelden|appje|bericht van)\S*\s.{0,20}(gaat|gaan|ging) (\S+ )?rond|(gaat|gaan) (\S+ ){0,2}(filmpje|foto|video|naaktfoto|nude|beelden)\S* rond|(gerucht|geruchten|verhaal)\b.{0,60}\b(klopt niet|klopt gelukkig niet|is niet waar|niet waar|onzin|waren onzin|zijn onzin|nep|fake)|(om|zodat) (alle |de )?geruchten (te )?stoppen|(dan|als) de geruchten/;

export function hearsay(folded: string): boolean {
  return rumourRe.test(folded);
}

// Closures, mergers, fees, inspections and dismissals are one subject per school; decisions and
// incidents are many ("vierdaagse schoolweek" is not "telefoonverbod"): those need a shared word.
const ONE_SUBJECT = new Set(['closure', 'merger', 'fee', 'inspection', 'dismissal', 'arrest']);
function sameSubject(claim: string, f: string, topic: string): boolean {
  if (ONE_SUBJECT.has(topic)) return true;
  return (claim.match(/\p{L}{4,}/gu) ?? []).some((w) => f.includes(w.slice(0, Math.max(4, w.length - 2))));
}

export function inaccuracy(
  text: string,
  folded: string,
  facts: string[] = [],
  doc?: Doc,
  accusations: Evidence[] = [],
): Risk | undefined {
  const claims = claimsIn(folded);
  const rumours = rumourRe.all(folded).map((m) => ({ start: m.index!, end: m.index! + m[0].length }));
  const against = doc ? contradictedFacts(doc, facts) : [];
  if (!claims.length && !rumours.length && !against.length && !accusations.length) return undefined;
  const official = officialRe.all(folded).map((m) => m.index!);
  const evidence: Evidence[] = [...against];
  let confidence = against.length ? 0.85 : 0;
  // An accusation of a crime said as a fact of a particular person may be false: defamation.
  if (accusations.length) {
    evidence.push(...accusations);
    confidence = Math.max(confidence, 0.7);
  }

  // Facts on the same topic as a claim, and whether the claim's sentence contradicts them.
  const sheet = facts.map(factInfo);
  for (const c of claims) {
    const s = sentenceAt(folded, c.start);
    const sentence = folded.slice(s.start, s.end);
    const hearsay =
      rumours.some((r) => r.start < s.end + 40 && r.end > s.start) ||
      rumours.some((r) => r.end <= c.start && c.start - r.end < 200);
    const attributed = official.some((o) => o >= s.start - 1 && o <= s.end);
    void sentence;
    // "Klopt het dat … is ontslagen? Dat zegt iedereen": a question the next sentence says is common talk.
    const confirmed =
      /^\s*(dat )?(zegt iedereen|hoor je overal|hoor ik overal|iedereen zegt|gaat overal rond|zeggen ze)/.test(
        folded.slice(s.end + 1, s.end + 40),
      );
    const question = QUESTION_ONLY.test(folded.slice(s.start, s.end + 1)) && !confirmed;
    // A claim said as plain fact by someone who is not the school: "Meander gaat fuseren", "het Scala
    // schaft het vwo af". Not one about the writer ("ik stop met…"), not denied ("gaat niet dicht").
    const claimed = folded.slice(c.start, c.end);
    if (/\b(laten|laat|liet)\s+$/.test(folded.slice(Math.max(0, c.start - 8), c.start))) continue;
    const plain =
      !hearsay &&
      !attributed &&
      !question &&
      PLAIN_TOPICS.has(c.topic) &&
      !/^(sluiting|opheffing|fusie|de fusie)$/.test(claimed) &&
      !/\b(niet|geen|nooit|not|no|tegen)\b(\s+\S+){0,3}\s*$/.test(
        folded.slice(Math.max(s.start, c.start - 30), c.start),
      ) &&
      !/^\s*(\S+\s+){0,3}(van de baan|gaat niet door|gaan niet door|niet aan de orde|is niet waar|klopt niet|afgeblazen)/.test(
        folded.slice(c.end, c.end + 40),
      ) &&
      !/^\s*(ik|we|wij|mijn|i)\b/.test(folded.slice(s.start, c.start)) &&
      !/^\s*(het )?(bestuur|directie|school|de school|directeur|rector)\b[^:]{0,40}:/.test(
        folded.slice(s.start, s.end),
      ) &&
      !SHARED.test(sentence);
    const staffOnly =
      c.topic === 'dismissal' || c.topic === 'arrest'
        ? STAFF.test(sentence) &&
          !DEMAND.test(folded.slice(s.start, c.start)) &&
          !/\b(leerling|leerlingen|pupil|student)\b/.test(sentence) &&
          (c.topic === 'arrest' ||
            /ontsla|ontslag|staande voet|weggestuurd|eruit|geschorst|non-actief|voor de klas/.test(claimed))
        : ['decision', 'fee', 'admission'].includes(c.topic)
          ? (SCHOOL_SUBJECT.test(sentence) ||
              (/^\s*\p{Lu}\p{Ll}+(\s(&|en)\s\p{Lu}\p{Ll}+)?\s/u.test(text.slice(s.start, s.end)) &&
                !/^\s*(de|het|een|ik|we|wij|mijn|onze|dit|dat|die|deze|er|ze|zij|hij|je|jij|wat|waarom|hoe|als|toen|nu|vandaag|gisteren|morgen|dus|maar|en|of)\s/i.test(
                  text.slice(s.start, s.end),
                ))) &&
            CHANGE.test(sentence) &&
            !/\b(hij|zij|ik|we|wij|he|she|i)\s+(\S+\s+)?$/.test(
              folded.slice(Math.max(s.start, c.start - 12), c.start),
            ) &&
            !DEMAND.test(folded.slice(s.start, c.start)) &&
            !/\b(als|if|wanneer|stel)\b/.test(sentence)
          : true;
    if (plain && staffOnly) {
      evidence.push({ start: c.start, end: c.end, text: text.slice(c.start, c.end) });
      confidence = Math.max(confidence, 0.6);
    }
    const asks = /\b(duidelijkheid|kan de school|graag een reactie|wil de school)\b/.test(folded);
    const schoolSays =
      /\b(ze zeggen|zeggen ze|zegt de school|zeggen ze altijd) dat (ze|zij|de school|hij|de directie)\b/.test(sentence);
    const tookItUp =
      c.topic === 'arrest' && /\b(het|dit|dat|zaak|signaal|klacht|melding)\s+(\S+\s+){0,2}opgepakt/.test(sentence);
    if (
      hearsay &&
      !attributed &&
      !question &&
      !asks &&
      !schoolSays &&
      !tookItUp &&
      !SHARED.test(folded.slice(s.start, s.end))
    ) {
      evidence.push({ start: c.start, end: c.end, text: text.slice(c.start, c.end) });
      confidence = Math.max(confidence, 0.7);
    }
  }
  // Hearsay about the school without one of the listed topics ("ik hoorde dat de juf …") is too weak
  // on its own: people hear and say many things that are no claim ("ik hoorde jongens zeggen …").
  for (const r of REQUIRE_TOPIC ? [] : rumours) {
    const marker = folded.slice(r.start, r.end);
    if (/^zou/.test(marker)) continue; // "het zou fijn zijn als …" is a wish
    // Hearing people say something is a report, not a rumour ("ik hoorde jongens zeggen dat …");
    // "ze zeggen altijd …", "mensen zeggen van alles" is talk, no claim.
    const after = folded.slice(r.end, r.end + 60);
    if (
      /^\s*(\S+\s+){0,4}(zeggen|roepen|praten|schreeuwen|zingen)\b/.test(after) ||
      /^\s*(altijd|van alles|wel eens|vaak|zoveel)\b/.test(after)
    )
      continue;
    const rs = sentenceAt(folded, r.start);
    if (SHARED.test(folded.slice(rs.start, rs.end)) || QUESTION_ONLY.test(folded.slice(rs.start, rs.end + 1))) continue;
    // On its own only a marker that passes on a rumour, not one that passes on a child's story.
    if (!RUMOUR_ONLY.test(marker) || /\b(duidelijkheid|kan de school|wil de school)\b/.test(folded)) continue;
    if (/^ze zeggen/.test(marker) && /^\s*(altijd )?dat (ze|zij|de school|hij)\b/.test(folded.slice(r.end, r.end + 20)))
      continue;
    const s = sentenceAt(folded, r.start);
    if (
      evidence.length ||
      (!STRONG.test(marker) && !SCHOOL_WORDS.test(folded.slice(s.start, Math.min(folded.length, s.end + 200))))
    )
      continue;
    if (official.some((o) => o >= s.start - 1 && o <= s.end)) continue;
    evidence.push({ start: r.start, end: r.end, text: text.slice(r.start, r.end) });
    confidence = Math.max(confidence, 0.5);
  }
  if (!evidence.length) return undefined;
  // Rumour markers go with the claim they introduce.
  for (const r of rumours)
    if (!evidence.some((e) => e.start === r.start))
      evidence.push({ start: r.start, end: r.end, text: text.slice(r.start, r.end) });
  // One span contradicting several facts is quoted once, with the first of them.
  for (let i = evidence.length - 1; i >= 0; i--)
    if (evidence.findIndex((x) => x.start === evidence[i]!.start && x.end === evidence[i]!.end) < i)
      evidence.splice(i, 1);
  // A claim that overlaps a contradicted fact's span is that span: the one that quotes the fact stays.
  for (let i = evidence.length - 1; i >= 0; i--) {
    const e = evidence[i]!;
    if (!e.fact && evidence.some((x) => x.fact && x.start < e.end && x.end > e.start)) evidence.splice(i, 1);
  }
  evidence.sort((a, b) => a.start - b.start);
  const severe = claims.some((c) => ['closure', 'merger', 'dismissal', 'arrest', 'incident'].includes(c.topic));
  return { type: 'inaccuracy', severity: severe ? 'medium' : 'low', confidence, evidence };
}
