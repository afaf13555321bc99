/**
 * Expander for the Klankbord functional test suite (suite.yaml next to this file).
 *
 * Each functionality holds templates with `{slot}` placeholders. A template is expanded over the
 * cartesian product of its slot lists (local slot lists override the shared ones). Cases are then
 * taken round-robin over the templates (1st expansion of template 1, of template 2, ..., then the
 * 2nd of each, ...), skipping duplicates, up to `max` cases per functionality (default 40).
 *
 * Placeholders:
 *   {teacher}  the value as written in the list
 *   {Teacher}  the same slot with its first letter capitalised ("de juf" -> "De juf"); used only
 *              where the template asks for it (sentence start). A list literally named "Teacher"
 *              would take precedence.
 *   {teacher} and {Teacher} in one template are the same variable (same value, different case).
 *
 * Order of the cartesian product (deterministic, no randomness): the product is enumerated as a
 * mixed-radix counter whose first slot runs fastest; every later slot is shifted by the sum of the
 * earlier digits (a bijective "diagonal" order). Thus the first expansions of a template already vary
 * every slot at once instead of repeating the first value of all but one slot. Template j of T starts
 * this enumeration at position floor(j * N / T) of its N combinations (wrapping round), so that the
 * templates of one functionality draw on different parts of the same slot lists. Every combination
 * is still produced exactly once per template.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface FunctionalCase {
  functionality: string;
  title: string;
  label: string;
  expect: string;
  text: string;
  facts: string[];
}

export interface FunctionalitySummary {
  id: string;
  title: string;
  label: string;
  expect: string;
  count: number;
}

interface Functionality {
  id: string;
  title: string;
  label: string;
  expect: string;
  facts: string[];
  templates: string[];
  slots: Record<string, string[]>;
  max: number;
}

interface Suite {
  slots: Record<string, string[]>;
  functionalities: Functionality[];
}

const DEFAULT_MAX = 40;
const SUITE_URL = new URL('./suite.yaml', import.meta.url);
const RISK_LABELS = new Set(['threat', 'discrimination', 'shaming', 'sexual', 'inaccuracy', 'pd:name']);
const SENTIMENTS = new Set(['positive', 'neutral', 'negative']);
const SLOT_RE = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;
const ID_RE = /^[a-z][a-z0-9_]*$/;

function fail(message: string): never {
  throw new Error(`functional suite: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown, where: string): string[] {
  if (!Array.isArray(value)) fail(`${where} must be a list of strings`);
  return value.map((item, i) => {
    if (typeof item === 'number') return String(item);
    if (typeof item !== 'string' || item.trim() === '') fail(`${where}[${i}] must be a non-empty string`);
    return item;
  });
}

function slotTable(value: unknown, where: string): Record<string, string[]> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) fail(`${where} must be a mapping of slot name to list`);
  const table: Record<string, string[]> = {};
  for (const [name, list] of Object.entries(value)) {
    const values = stringList(list, `${where}.${name}`);
    if (values.length === 0) fail(`${where}.${name} is empty`);
    table[name] = values;
  }
  return table;
}

function requiredString(raw: Record<string, unknown>, key: string, where: string): string {
  const value = raw[key];
  if (typeof value !== 'string' || value.trim() === '') fail(`${where}.${key} must be a non-empty string`);
  return value;
}

function loadSuite(url: URL = SUITE_URL): Suite {
  const doc: unknown = parse(readFileSync(url, 'utf8'));
  if (!isRecord(doc)) fail('suite.yaml must be a mapping');
  const slots = slotTable(doc['slots'], 'slots');
  const rawList = doc['functionalities'];
  if (!Array.isArray(rawList)) fail('functionalities must be a list');
  const ids = new Set<string>();
  const functionalities = rawList.map((raw: unknown, i: number): Functionality => {
    const where = `functionalities[${i}]`;
    if (!isRecord(raw)) fail(`${where} must be a mapping`);
    const id = requiredString(raw, 'id', where);
    if (!ID_RE.test(id)) fail(`${where}.id "${id}" is not snake_case`);
    if (ids.has(id)) fail(`duplicate functionality id "${id}"`);
    ids.add(id);
    const label = requiredString(raw, 'label', where);
    const expect = requiredString(raw, 'expect', where);
    if (label === 'sentiment') {
      if (!SENTIMENTS.has(expect)) fail(`${id}: expect for sentiment must be positive|neutral|negative`);
    } else if (RISK_LABELS.has(label)) {
      if (expect !== 'present' && expect !== 'absent') fail(`${id}: expect must be present|absent`);
    } else {
      fail(`${id}: unknown label "${label}"`);
    }
    const maxRaw = raw['max'];
    let max = DEFAULT_MAX;
    if (maxRaw !== undefined) {
      if (typeof maxRaw !== 'number' || !Number.isInteger(maxRaw) || maxRaw < 1) fail(`${id}: max must be a positive integer`);
      max = maxRaw;
    }
    const templates = stringList(raw['templates'], `${id}.templates`);
    if (templates.length === 0) fail(`${id}: no templates`);
    return {
      id,
      title: requiredString(raw, 'title', where),
      label,
      expect,
      facts: raw['facts'] === undefined ? [] : stringList(raw['facts'], `${id}.facts`),
      templates,
      slots: slotTable(raw['slots'], `${id}.slots`),
      max,
    };
  });
  return { slots, functionalities };
}

function capitalise(value: string): string {
  if (value.startsWith('ij')) return 'IJ' + value.slice(2); // Dutch digraph: "ijsbaan" -> "IJsbaan"
  return value.charAt(0).toLocaleUpperCase('nl') + value.slice(1);
}

interface Placeholder {
  token: string; // text between the braces
  variable: string; // name of the slot list it draws from
  capital: boolean;
}

function placeholders(template: string, slots: Record<string, string[]>, id: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (const match of template.matchAll(SLOT_RE)) {
    const token = match[1] ?? '';
    if (slots[token] !== undefined) {
      found.push({ token, variable: token, capital: false });
      continue;
    }
    const lower = token.charAt(0).toLowerCase() + token.slice(1);
    if (lower !== token && slots[lower] !== undefined) {
      found.push({ token, variable: lower, capital: true });
      continue;
    }
    fail(`${id}: template "${template}" uses unknown slot {${token}}`);
  }
  return found;
}

/** All expansions of one template, in the deterministic diagonal order described above. */
function* expandTemplate(
  template: string,
  slots: Record<string, string[]>,
  id: string,
  position: number,
  templateCount: number,
): Generator<string> {
  const found = placeholders(template, slots, id);
  const variables: string[] = [];
  for (const p of found) if (!variables.includes(p.variable)) variables.push(p.variable);
  const lists = variables.map((v) => slots[v] ?? []);
  const total = lists.reduce((n, list) => n * list.length, 1);
  const start = Math.floor((position * total) / templateCount);
  for (let step = 0; step < total; step++) {
    const chosen = new Map<string, string>();
    let rest = (start + step) % total;
    let shift = 0;
    variables.forEach((variable, i) => {
      const list = lists[i] ?? [];
      const digit = rest % list.length;
      rest = Math.floor(rest / list.length);
      chosen.set(variable, list[(digit + shift) % list.length] ?? '');
      shift += digit;
    });
    const text = template.replace(SLOT_RE, (_whole: string, token: string) => {
      const p = found.find((f) => f.token === token);
      const value = p === undefined ? '' : (chosen.get(p.variable) ?? '');
      return p?.capital === true ? capitalise(value) : value;
    });
    yield text.replace(/\s+/g, ' ').trim();
  }
}

function expandFunctionality(f: Functionality, shared: Record<string, string[]>): FunctionalCase[] {
  const slots: Record<string, string[]> = { ...shared, ...f.slots };
  const iterators = f.templates.map((template, j) => expandTemplate(template, slots, f.id, j, f.templates.length));
  const live = iterators.map(() => true);
  const seen = new Set<string>();
  const cases: FunctionalCase[] = [];
  while (cases.length < f.max && live.some(Boolean)) {
    for (let i = 0; i < iterators.length && cases.length < f.max; i++) {
      const iterator = iterators[i];
      if (!live[i] || iterator === undefined) continue;
      let next = iterator.next();
      while (next.done !== true && seen.has(next.value)) next = iterator.next();
      if (next.done === true) {
        live[i] = false;
        continue;
      }
      seen.add(next.value);
      cases.push({
        functionality: f.id,
        title: f.title,
        label: f.label,
        expect: f.expect,
        text: next.value,
        facts: [...f.facts],
      });
    }
  }
  return cases;
}

/** Every case of the suite, functionality by functionality, in file order. */
export function expandSuite(): FunctionalCase[] {
  const suite = loadSuite();
  return suite.functionalities.flatMap((f) => expandFunctionality(f, suite.slots));
}

/** One row per functionality with the number of cases it expands to. */
export function suiteFunctionalities(): FunctionalitySummary[] {
  const suite = loadSuite();
  return suite.functionalities.map((f) => ({
    id: f.id,
    title: f.title,
    label: f.label,
    expect: f.expect,
    count: expandFunctionality(f, suite.slots).length,
  }));
}
