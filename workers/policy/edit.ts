import { actionName, basisName, roleName } from './labels.ts';
import { loadPreset, presetFrom } from './presets.ts';
import {
  ACTION_TYPES,
  SCHOOL_ROLES,
  guidanceText,
  type ActionType,
  type GuidancePart,
  type Preset,
  type Rule,
  type RuleAction,
  type SchoolRole,
  type SpikeRule,
} from './types.ts';

// A board adjusts its preset: per rule whether it is on, and its actions (roles, due days, the text
// of each guidance part); and the spike prompt. The conditions (`when`), the article and the basis
// stay as the protocol file has them: where a rule comes from is not the board's to change.
// Pure functions; server/policyAdmin.ts stores the result as a new version.

export type PartEdit = { text: string; basis?: string; article?: string };
export type ActionEdit = { type: string; roles: string[]; dueDays: number; guidance: PartEdit[] };
export type RuleEdit = { id: string; enabled: boolean; actions: ActionEdit[] };
export type PolicyEdit = { presetId: string; spike: Omit<ActionEdit, 'type'>; rules: RuleEdit[] };

// What the editor shows: every rule of the preset file, the switched-off ones included.
// locked: a duty (the law, or a protocol that says the school *zal*), always on; required: the
// action types it must keep; allowed: the types it may have (no online correction without an
// inaccuracy, no reply where the protocol gives none).
export type EditorRule = Rule & { enabled: boolean; locked: boolean; required: ActionType[]; allowed: ActionType[] };
export type EditorPolicy = {
  presetId: string;
  name: string;
  source: string;
  description: string;
  stance?: GuidancePart;
  spike: SpikeRule;
  rules: EditorRule[];
};

// The file says which rules are duties: the Meldcode (law), and the police where a protocol says the
// school *zal* aangifte doen. A law article that makes something criminal is no duty to report it.
export const isLocked = (r: Rule) => !!r.locked;
const fixed = (p: GuidancePart) => p.basis === 'protocol' || p.basis === 'law';
const squash = (s: string) => s.trim().replace(/\s+/g, ' ');

// A part keeps the basis of the file's part with the same text; a text the board wrote or changed
// is the board's own. So a stored or edited text never claims an article it no longer quotes.
function rebaseParts(file: GuidancePart[], parts: { text: string }[]): GuidancePart[] {
  return parts
    .map((p) => squash(p.text))
    .filter(Boolean)
    .map((text) => file.find((f) => squash(f.text) === text) ?? { basis: 'board', text });
}

// A board's stored version read against the current file: conditions, titles, bases and articles
// from the file; a locked rule is always on with its file's actions and protocol/law texts; a text
// that no longer matches the file is the board's own. Rules the version does not have are off.
export function rebase(stored: Preset): Preset {
  const file = loadPreset(stored.id);
  const rules: Rule[] = [];
  for (const f of file.rules) {
    const s = stored.rules.find((r) => r.id === f.id);
    if (!s && !isLocked(f)) continue;
    const actions = isLocked(f)
      ? f.actions.map((fa) => {
          const sa = s?.actions.find((a) => a.type === fa.type);
          const parts = sa ? rebaseParts(fa.guidance, sa.guidance) : fa.guidance;
          const keepsLaw = fa.guidance.filter(fixed).every((p) => parts.includes(p));
          return {
            ...fa,
            ...(sa ? { roles: sa.roles, dueDays: sa.dueDays } : {}),
            guidance: keepsLaw ? parts : fa.guidance,
          };
        })
      : s!.actions
          .filter((a) => allowedOn(f, a.type))
          .map((a) => ({
            ...a,
            guidance: rebaseParts(f.actions.find((fa) => fa.type === a.type)?.guidance ?? [], a.guidance),
          }));
    rules.push({ ...f, actions: actions.filter((a) => a.guidance.length) });
  }
  const spike = {
    ...file.spike,
    roles: stored.spike.roles,
    dueDays: stored.spike.dueDays,
    guidance: rebaseParts(file.spike.guidance, stored.spike.guidance),
  };
  return presetFrom({ ...file, spike: spike.guidance.length ? spike : file.spike, rules });
}

export function editorView(preset: Preset): EditorPolicy {
  const base = loadPreset(preset.id);
  const rules = base.rules.map((b) => {
    const own = preset.rules.find((r) => r.id === b.id);
    const allowed = ACTION_TYPES.filter((type) => allowedOn(b, type));
    return {
      ...(own ?? b),
      enabled: !!own,
      locked: isLocked(b),
      required: isLocked(b) ? b.actions.map((a) => a.type) : [],
      allowed,
    };
  });
  return {
    presetId: base.id,
    name: base.name,
    source: base.source,
    description: base.description,
    stance: base.stance,
    spike: preset.spike,
    rules,
  };
}

const allowedOn = (rule: Rule, type: ActionType) => !actionProblems(rule, type).length;

// The invariants a board cannot edit away. Online, the school corrects an inaccuracy, and replies
// only where its protocol's file offers a reply; sharing and thanking is for good news.
function actionProblems(rule: Rule, type: ActionType): string[] {
  const out: string[] = [];
  const risks = rule.when.risks ?? [];
  if (type === 'correct_online' && !(risks.length > 0 && risks.every((r) => r === 'inaccuracy')))
    out.push(
      'een online correctie mag alleen bij een onjuistheid over de school; op andere (negatieve) discussie reageert de school niet online',
    );
  if (type === 'reply_online' && !loadPresetRuleHas(rule, 'reply_online'))
    out.push('een antwoord vanaf het schoolaccount past alleen waar het protocol het toestaat');
  const sentiment = rule.when.sentiment ?? [];
  if (type === 'amplify' && !(sentiment.length > 0 && sentiment.every((s) => s === 'positive')))
    out.push('delen of bedanken via de eigen kanalen past alleen bij positief nieuws');
  return out;
}
// `rule` is always a rule of a shipped file here (a board never sends conditions or actions' origin).
const loadPresetRuleHas = (rule: Rule, type: ActionType) => rule.actions.some((a) => a.type === type);

function checkAction(a: Omit<ActionEdit, 'type'>, maxDays: number): string[] {
  const out: string[] = [];
  if (!a.roles.length) out.push('kies minstens één rol');
  if (a.roles.some((r) => !SCHOOL_ROLES.includes(r as SchoolRole))) out.push('onbekende rol');
  if (!Number.isInteger(a.dueDays) || a.dueDays < 0 || a.dueDays > maxDays)
    out.push(`termijn: een heel aantal dagen van 0 tot ${maxDays}`);
  const g = squash(a.guidance.map((p) => p.text).join(' '));
  if (g.length < 20) out.push('de tekst voor medewerkers is te kort (minstens 20 tekens)');
  if (a.guidance.some((p) => p.text.trim().length > 2000)) out.push('een tekstdeel is te lang (hoogstens 2000 tekens)');
  if (a.guidance.length > 12) out.push('hoogstens 12 tekstdelen');
  return out;
}

// The edit as a preset, or what is wrong with it, in words a person can act on.
export function buildPreset(edit: PolicyEdit): { preset?: Preset; problems: string[] } {
  const base = loadPreset(edit.presetId);
  const problems: string[] = [];
  const ids = edit.rules.map((r) => r.id);
  if (ids.length !== base.rules.length || base.rules.some((b) => ids.filter((id) => id === b.id).length !== 1))
    return { problems: [`De regels passen niet bij ${base.name}; laad de pagina opnieuw`] };
  const rules: Rule[] = [];
  for (const b of base.rules) {
    const e = edit.rules.find((r) => r.id === b.id)!;
    const at = (what: string) => `Regel "${b.title}": ${what}`;
    const duty = b.basis === 'law' ? 'volgt uit de wet' : 'schrijft het protocol voor';
    if (!e.enabled) {
      if (isLocked(b)) problems.push(at(`dit ${duty} en blijft aan`));
      continue;
    }
    if (!e.actions.length || e.actions.length > ACTION_TYPES.length) problems.push(at('geef minstens één actie'));
    const types = e.actions.map((a) => a.type);
    const actions: RuleAction[] = [];
    for (const a of e.actions) {
      if (!ACTION_TYPES.includes(a.type as ActionType)) {
        problems.push(at(`onbekende actie "${a.type}"`));
        continue;
      }
      const type = a.type as ActionType;
      const name = actionName(type);
      if (types.filter((t) => t === type).length > 1) problems.push(at(`"${name}" staat er twee keer in`));
      const fileParts = b.actions.find((x) => x.type === type)?.guidance ?? [];
      const guidance = rebaseParts(fileParts, a.guidance);
      for (const p of [...checkAction(a, 60), ...actionProblems(b, type)])
        problems.push(`Regel "${b.title}", "${name}": ${p}`);
      if (isLocked(b))
        for (const p of fileParts.filter(fixed))
          if (!guidance.includes(p))
            problems.push(`Regel "${b.title}", "${name}": de tekst uit ${basisName(p)} blijft ongewijzigd staan`);
      actions.push({ type, roles: [...new Set(a.roles)] as SchoolRole[], dueDays: a.dueDays, guidance });
    }
    if (isLocked(b))
      for (const a of b.actions)
        if (!types.includes(a.type)) problems.push(at(`${duty}: "${actionName(a.type)}" blijft erin`));
    const unique = actions.filter((a, i) => actions.findIndex((x) => x.type === a.type) === i);
    rules.push({ ...b, actions: unique });
  }
  if (!rules.length) problems.push('Zet minstens één regel aan');
  for (const p of checkAction(edit.spike, 7)) problems.push(`Ontsporen: ${p}`);
  if (problems.length) return { problems: [...new Set(problems)] };
  const spike: SpikeRule = {
    ...base.spike,
    roles: [...new Set(edit.spike.roles)] as SchoolRole[],
    dueDays: edit.spike.dueDays,
    guidance: rebaseParts(base.spike.guidance, edit.spike.guidance),
  };
  return {
    preset: presetFrom({
      id: base.id,
      name: base.name,
      source: base.source,
      description: base.description,
      stance: base.stance,
      spike,
      rules,
    }),
    problems,
  };
}

const roles = (rs: string[]) => rs.map(roleName).join(', ');
type Actionish = { roles: string[]; dueDays: number; guidance: GuidancePart[] };
function actionChanges(where: string, a: Actionish, b: Actionish): string[] {
  const out: string[] = [];
  if (roles(a.roles) !== roles(b.roles)) out.push(`${where}: wie: ${roles(a.roles)} → ${roles(b.roles)}`);
  if (a.dueDays !== b.dueDays)
    out.push(`${where}: termijn ${a.dueDays} → ${b.dueDays} ${b.dueDays === 1 ? 'dag' : 'dagen'}`);
  if (guidanceText(a.guidance) !== guidanceText(b.guidance)) out.push(`${where}: tekst aangepast`);
  return out;
}

// What changed between two versions, in Dutch, for the history and the audit log.
export function describeChanges(before: Preset, after: Preset): string[] {
  if (before.id !== after.id) return [`Ander protocol: ${before.name} → ${after.name}`];
  const out: string[] = [];
  out.push(...actionChanges('Ontsporen', before.spike, after.spike));
  for (const b of loadPreset(after.id).rules) {
    const x = before.rules.find((r) => r.id === b.id);
    const y = after.rules.find((r) => r.id === b.id);
    const name = `"${b.title}"`;
    if (!x || !y) {
      if (x || y) out.push(`${name}: ${y ? 'weer aangezet' : 'uitgezet'}`);
      continue;
    }
    for (const a of y.actions) {
      const old = x.actions.find((o) => o.type === a.type);
      if (!old) out.push(`${name}: actie "${actionName(a.type)}" toegevoegd`);
      else out.push(...actionChanges(`${name}, "${actionName(a.type)}"`, old, a));
    }
    for (const o of x.actions)
      if (!y.actions.some((a) => a.type === o.type)) out.push(`${name}: actie "${actionName(o.type)}" verwijderd`);
  }
  return out;
}
