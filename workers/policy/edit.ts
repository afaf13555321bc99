import { actionName, roleName } from './labels.ts';
import { loadPreset, presetFrom } from './presets.ts';
import { ACTION_TYPES, SCHOOL_ROLES, type ActionType, type Preset, type Rule, type RuleAction, type SchoolRole, type SpikeRule } from './types.ts';

// A board adjusts its preset: per rule the article, its actions (roles, due days, guidance), or the
// rule switched off; and the spike prompt. The conditions (`when`) stay as the protocol file has them.
// Pure functions; server/policyAdmin.ts stores the result as a new version.

export type ActionEdit = { type: string; roles: string[]; dueDays: number; guidance: string };
export type RuleEdit = { id: string; enabled: boolean; article: string; actions: ActionEdit[] };
export type PolicyEdit = { presetId: string; spike: ActionEdit & { article: string }; rules: RuleEdit[] };

// What the editor shows: every rule of the preset file, the switched-off ones included.
// locked: a legal duty, always on; required: the action types it must keep; allowed: the types it
// may have (no online correction without an inaccuracy).
export type EditorRule = Rule & { enabled: boolean; locked: boolean; required: ActionType[]; allowed: ActionType[] };
export type EditorPolicy = { presetId: string; name: string; source: string; description: string; spike: SpikeRule; rules: EditorRule[] };

// A rule that puts a legal duty into practice (the Meldcode, a criminal threat) cannot be switched
// off, and keeps the action types the file gives it.
const locked = (r: Rule) => r.basis === 'law';

export function editorView(preset: Preset): EditorPolicy {
  const base = loadPreset(preset.id);
  const rules = base.rules.map((b) => {
    const own = preset.rules.find((r) => r.id === b.id);
    const allowed = ACTION_TYPES.filter((type) => !actionProblems(b, { type, roles: [], dueDays: 0, guidance: '' }).length);
    return { ...(own ?? b), enabled: !!own, locked: locked(b), required: locked(b) ? b.actions.map((a) => a.type) : [], allowed };
  });
  return { presetId: base.id, name: base.name, source: base.source, description: base.description, spike: preset.spike, rules };
}

// The invariants a board cannot edit away. Online, the school only ever corrects an inaccuracy
// (Edu-Ley Profilering c and its sister articles); sharing and thanking is for good news.
function actionProblems(rule: Rule, a: RuleAction): string[] {
  const out: string[] = [];
  const risks = rule.when.risks ?? [];
  if (a.type === 'correct_online' && !(risks.length > 0 && risks.every((r) => r === 'inaccuracy')))
    out.push('een online correctie mag alleen bij een onjuistheid over de school; op andere (negatieve) discussie reageert de school niet online');
  const sentiment = rule.when.sentiment ?? [];
  if (a.type === 'amplify' && !(sentiment.length > 0 && sentiment.every((s) => s === 'positive'))) out.push('delen of bedanken via de eigen kanalen past alleen bij positief nieuws');
  return out;
}

function checkAction(a: ActionEdit, maxDays: number): string[] {
  const out: string[] = [];
  if (!a.roles.length) out.push('kies minstens één rol');
  if (a.roles.some((r) => !SCHOOL_ROLES.includes(r as SchoolRole))) out.push('onbekende rol');
  if (!Number.isInteger(a.dueDays) || a.dueDays < 0 || a.dueDays > maxDays) out.push(`termijn: een heel aantal dagen van 0 tot ${maxDays}`);
  const g = a.guidance.trim();
  if (g.length < 20) out.push('de tekst voor medewerkers is te kort (minstens 20 tekens)');
  if (g.length > 2000) out.push('de tekst voor medewerkers is te lang (hoogstens 2000 tekens)');
  return out;
}

const cleanAction = (a: ActionEdit): RuleAction => ({ type: a.type as ActionType, roles: [...new Set(a.roles)] as SchoolRole[], dueDays: a.dueDays, guidance: a.guidance.trim().replace(/\s+/g, ' ') });

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
    if (!e.enabled) {
      if (locked(b)) problems.push(at('deze regel volgt uit de wet en blijft aan'));
      continue;
    }
    const article = e.article.trim();
    if (!article || article.length > 120) problems.push(at('vul het artikel in (hoogstens 120 tekens)'));
    if (!e.actions.length || e.actions.length > ACTION_TYPES.length) problems.push(at('geef minstens één actie'));
    const types = e.actions.map((a) => a.type);
    for (const a of e.actions) {
      if (!ACTION_TYPES.includes(a.type as ActionType)) {
        problems.push(at(`onbekende actie "${a.type}"`));
        continue;
      }
      const name = actionName(a.type);
      if (types.filter((t) => t === a.type).length > 1) problems.push(at(`"${name}" staat er twee keer in`));
      for (const p of [...checkAction(a, 60), ...actionProblems(b, cleanAction(a))]) problems.push(`Regel "${b.title}", "${name}": ${p}`);
    }
    if (locked(b)) for (const a of b.actions) if (!types.includes(a.type)) problems.push(at(`volgt uit de wet: "${actionName(a.type)}" blijft erin`));
    rules.push({ ...b, article, actions: e.actions.filter((a, i) => types.indexOf(a.type) === i).map(cleanAction) });
  }
  if (!rules.length) problems.push('Zet minstens één regel aan');
  const spikeArticle = edit.spike.article.trim();
  if (!spikeArticle || spikeArticle.length > 120) problems.push('Ontsporen: vul het artikel in (hoogstens 120 tekens)');
  for (const p of checkAction(edit.spike, 7)) problems.push(`Ontsporen: ${p}`);
  if (problems.length) return { problems: [...new Set(problems)] };
  const { type: _type, ...spike } = { ...cleanAction({ ...edit.spike, type: 'escalate' }), article: spikeArticle };
  return { preset: presetFrom({ id: base.id, name: base.name, source: base.source, description: base.description, spike, rules }), problems };
}

const roles = (rs: string[]) => rs.map(roleName).join(', ');
function actionChanges(where: string, a: Omit<RuleAction, 'type'>, b: Omit<RuleAction, 'type'>): string[] {
  const out: string[] = [];
  if (roles(a.roles) !== roles(b.roles)) out.push(`${where}: wie: ${roles(a.roles)} → ${roles(b.roles)}`);
  if (a.dueDays !== b.dueDays) out.push(`${where}: termijn ${a.dueDays} → ${b.dueDays} dag(en)`);
  if (a.guidance !== b.guidance) out.push(`${where}: tekst aangepast`);
  return out;
}

// What changed between two versions, in Dutch, for the history and the audit log.
export function describeChanges(before: Preset, after: Preset): string[] {
  if (before.id !== after.id) return [`Ander protocol: ${before.name} → ${after.name}`];
  const out: string[] = [];
  if (before.spike.article !== after.spike.article) out.push(`Ontsporen: artikel ${before.spike.article} → ${after.spike.article}`);
  out.push(...actionChanges('Ontsporen', before.spike, after.spike));
  for (const b of loadPreset(after.id).rules) {
    const x = before.rules.find((r) => r.id === b.id);
    const y = after.rules.find((r) => r.id === b.id);
    const name = `"${b.title}"`;
    if (!x || !y) {
      if (x || y) out.push(`${name}: ${y ? 'weer aangezet' : 'uitgezet'}`);
      continue;
    }
    if (x.article !== y.article) out.push(`${name}: artikel ${x.article} → ${y.article}`);
    for (const a of y.actions) {
      const old = x.actions.find((o) => o.type === a.type);
      if (!old) out.push(`${name}: actie "${actionName(a.type)}" toegevoegd`);
      else out.push(...actionChanges(`${name}, "${actionName(a.type)}"`, old, a));
    }
    for (const o of x.actions) if (!y.actions.some((a) => a.type === o.type)) out.push(`${name}: actie "${actionName(o.type)}" verwijderd`);
  }
  return out;
}
