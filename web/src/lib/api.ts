import type { hc, InferResponseType } from 'hono/client';
import type { AppType } from '../../../server/app.ts';
import type { SettingField } from '../../../workers/collectors/types.ts';

// Every answer's type comes from the server's routes (Hono infers what each handler returns), so the
// dashboard and the server cannot drift apart; only what the dashboard sends is written here.
type Client = ReturnType<typeof hc<AppType>>;
type Ok<T> = InferResponseType<T, 200>;

export type Me = Ok<Client['me']['$get']>;
export type MentionPage = Ok<Client['mentions']['$get']>;
export type MentionItem = MentionPage['items'][number];
export type MentionDetail = Ok<Client['mentions'][':id']['$get']>;
export type CaseList = Ok<Client['cases']['$get']>;
export type CaseSummary = CaseList['cases'][number];
export type CaseDetail = Ok<Client['cases'][':id']['$get']>;
export type SchoolList = Ok<Client['schools']['$get']>;
export type SchoolQuery = SchoolList['schools'][number];
export type Contact = SchoolQuery['contacts'][number];
export type CalendarEntry = SchoolQuery['calendar'][number];
export type BoardCalendarEntry = SchoolList['boardCalendar']['entries'][number];
export type ArchivedSchool = SchoolList['archived'][number];
export type SchoolPoint = Ok<Client['schools'][':slug']['points']['$get']>['points'][number];
export type QueryPreview = Ok<Client['schools'][':slug']['query']['preview']['$post']>;
export type ApplyResult = Ok<Client['schools'][':slug']['query']['$put']>;
export type SourceList = Ok<Client['sources']['$get']>;
export type SourceRow = SourceList['items'][number];
export type SourceHealth = SourceRow;
export type SourceKind = Ok<Client['sources']['kinds']['$get']>['items'][number];
export type TestResult = Ok<Client['sources']['test']['$post']>;
export type MailState = Ok<Client['board']['mail']['$get']>;
export type Retention = Ok<Client['board']['retention']['$get']>;
export type PersonHit = Ok<Client['privacy']['search']['$post']>['hits'][number];
export type AuditEntry = Ok<Client['audit']['$get']>['entries'][number];
export type UserRow = Ok<Client['users']['$get']>['users'][number];
export type PolicyState = Ok<Client['policy']['$get']>;
export type PolicyForm = PolicyState['current'];
export type OverviewData = Ok<Client['overview']['$get']>;
export type { SettingField };

// What the dashboard sends.
export type CaseQuery = { state?: string; school?: string; type?: string; mine?: string; overdue?: string };
export type CasePatch = {
  state?: string;
  assigneeId?: string | null;
  dueAt?: string;
  outcomeKind?: string;
  outcome?: string;
};
export type MentionQuery = {
  school?: string;
  sentiment?: string;
  risk?: string;
  q?: string;
  from?: string;
  to?: string;
  state?: string;
  sort?: string;
  cursor?: string;
  limit?: number;
};
export type SourceForm = {
  kind?: string;
  school?: string | null;
  name?: string;
  url?: string | null;
  settings?: Record<string, string | number | null>;
  intervalMinutes?: number;
  enabled?: boolean;
  sourceId?: string;
};
export type SchoolForm = { name: string; aliases: string[]; place: string | null; region: string | null };
export type SecretValue = { secret: true; set: boolean };
export type PolicyEditBody = {
  presetId: string;
  baseVersion: number | null;
  note: string;
  spike: { roles: string[]; dueDays: number; guidance: { text: string }[] };
  rules: {
    id: string;
    enabled: boolean;
    actions: { type: string; roles: string[]; dueDays: number; guidance: { text: string }[] }[];
  }[];
};

export class ApiError extends Error {
  // problems: each thing to fix, where the server lists them (a policy change)
  constructor(
    message: string,
    readonly status: number,
    readonly problems: string[] = [],
  ) {
    super(message);
  }
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      credentials: 'same-origin',
      ...init,
      headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}) },
    });
  } catch {
    throw new ApiError('network', 0);
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok)
    throw new ApiError(
      body.error ?? `HTTP ${res.status}`,
      res.status,
      Array.isArray(body.problems) ? body.problems : [],
    );
  return body as T;
}

function query(params: Record<string, string | number | undefined>) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `?${s}` : '';
}

export const api = {
  // With a second factor the password gives a ticket for the code step instead of a session.
  login: (email: string, password: string) =>
    request<{ ok: true } | { totp: true; ticket: string }>('/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email, password }),
    }),
  loginCode: (ticket: string, code: string) =>
    request<{ ok: true }>('/auth/login/totp', { method: 'POST', body: JSON.stringify({ ticket, code }) }),
  totpStatus: () => request<Ok<Client['me']['totp']['$get']>>('/me/totp'),
  totpSetup: () => request<{ secret: string; uri: string }>('/me/totp/setup', { method: 'POST' }),
  totpConfirm: (code: string) =>
    request<{ ok: true; recoveryCodes: string[] }>('/me/totp/confirm', {
      method: 'POST',
      body: JSON.stringify({ code }),
    }),
  totpDisable: (password: string, code: string) =>
    request<{ ok: true }>('/me/totp/disable', { method: 'POST', body: JSON.stringify({ password, code }) }),
  resetUserTotp: (id: string) =>
    request<{ ok: true }>(`/users/${encodeURIComponent(id)}/totp/reset`, { method: 'POST' }),
  logout: () => request<{ ok: true }>('/auth/logout', { method: 'POST' }),
  me: () => request<Me>('/me'),
  mentions: (q: MentionQuery) => request<MentionPage>(`/mentions${query(q)}`),
  overview: (q: { school?: string; from?: string; to?: string }) => request<OverviewData>(`/overview${query(q)}`),
  mention: (id: string) => request<MentionDetail>(`/mentions/${encodeURIComponent(id)}`),
  triage: (ids: string[], state: 'seen' | 'handled' | 'irrelevant' | 'open') =>
    request<{ changed: number; ids: string[] }>('/mentions/triage', {
      method: 'POST',
      body: JSON.stringify({ ids, state }),
    }),
  openCount: () => request<{ open: number; days: number; capped: boolean }>('/mentions/count'),
  unmasked: (id: string) =>
    request<{ title: string; text: string; risks: MentionItem['risks'] }>(
      `/mentions/${encodeURIComponent(id)}/unmasked`,
      { method: 'POST' },
    ),
  correctLabel: (id: string, field: string, value: string) =>
    request<MentionDetail>(`/mentions/${encodeURIComponent(id)}/labels`, {
      method: 'PUT',
      body: JSON.stringify({ field, value }),
    }),
  reportContact: (id: string) =>
    request<{ contact: string }>(`/mentions/${encodeURIComponent(id)}/report-contact`, { method: 'POST' }),
  addMention: (body: { school: string; url?: string; text?: string }) =>
    request<{ id: string; duplicate: boolean }>('/mentions', {
      method: 'POST',
      body: JSON.stringify(body),
    }),
  sources: () => request<{ items: SourceRow[]; canAdd: boolean }>('/sources'),
  sourceKinds: () => request<{ items: SourceKind[] }>('/sources/kinds'),
  createSource: (body: SourceForm) =>
    request<{ id: string }>('/sources', { method: 'POST', body: JSON.stringify(body) }),
  updateSource: (id: string, body: SourceForm) =>
    request<{ ok: true }>(`/sources/${encodeURIComponent(id)}`, { method: 'PATCH', body: JSON.stringify(body) }),
  restoreSource: (id: string) =>
    request<{ ok: true }>(`/sources/${encodeURIComponent(id)}/restore`, { method: 'POST' }),
  deleteSource: (id: string) =>
    request<{ ok: true; mentions: number; undoUntil: string }>(`/sources/${encodeURIComponent(id)}`, {
      method: 'DELETE',
    }),
  schools: () => request<SchoolList>('/schools'),
  createSchool: (body: SchoolForm) =>
    request<{ ok: true; slug: string }>('/schools', { method: 'POST', body: JSON.stringify(body) }),
  updateSchool: (slug: string, body: SchoolForm) =>
    request<{ ok: true; changed: string[] }>(`/schools/${encodeURIComponent(slug)}`, {
      method: 'PATCH',
      body: JSON.stringify(body),
    }),
  archiveSchool: (slug: string) =>
    request<{ ok: true; undoUntil: string }>(`/schools/${encodeURIComponent(slug)}`, { method: 'DELETE' }),
  restoreSchool: (slug: string) =>
    request<{ ok: true }>(`/schools/${encodeURIComponent(slug)}/restore`, { method: 'POST' }),
  renameBoard: (name: string) =>
    request<{ ok: true; name: string }>('/board/name', { method: 'PUT', body: JSON.stringify({ name }) }),
  previewQuery: (slug: string, query: string | null) =>
    request<QueryPreview>(`/schools/${encodeURIComponent(slug)}/query/preview`, {
      method: 'POST',
      body: JSON.stringify({ query }),
    }),
  saveQuery: (slug: string, query: string | null) =>
    request<ApplyResult>(`/schools/${encodeURIComponent(slug)}/query`, {
      method: 'PUT',
      body: JSON.stringify({ query }),
    }),
  saveFacts: (slug: string, facts: string[]) =>
    request<{ ok: true; facts: string[]; rechecked: number }>(`/schools/${encodeURIComponent(slug)}/facts`, {
      method: 'PUT',
      body: JSON.stringify({ facts }),
    }),
  previewExclusions: (query: string | null) =>
    request<QueryPreview>('/board/exclusions/preview', { method: 'POST', body: JSON.stringify({ query }) }),
  saveExclusions: (query: string | null) =>
    request<ApplyResult>('/board/exclusions', { method: 'PUT', body: JSON.stringify({ query }) }),
  cases: (q: CaseQuery) => request<CaseList>(`/cases${query(q)}`),
  case: (id: string) => request<CaseDetail>(`/cases/${encodeURIComponent(id)}`),
  addToCase: (id: string, ids: string[]) =>
    request<CaseDetail>(`/cases/${encodeURIComponent(id)}/mentions`, { method: 'POST', body: JSON.stringify({ ids }) }),
  updateCase: (id: string, body: CasePatch) =>
    request<CaseDetail>(`/cases/${encodeURIComponent(id)}`, { method: 'PATCH', body: JSON.stringify(body) }),
  addNote: (id: string, text: string) =>
    request<CaseDetail>(`/cases/${encodeURIComponent(id)}/notes`, { method: 'POST', body: JSON.stringify({ text }) }),
  setAction: (id: string, type: string, status: string) =>
    request<CaseDetail>(`/cases/${encodeURIComponent(id)}/actions/${encodeURIComponent(type)}`, {
      method: 'PUT',
      body: JSON.stringify({ status }),
    }),
  addPoint: (id: string, kind: 'sterk' | 'verbeter', text: string) =>
    request<CaseDetail>(`/cases/${encodeURIComponent(id)}/points`, {
      method: 'POST',
      body: JSON.stringify({ kind, text }),
    }),
  removePoint: (id: string, point: string) =>
    request<CaseDetail>(`/cases/${encodeURIComponent(id)}/points/${encodeURIComponent(point)}`, { method: 'DELETE' }),
  setBreach: (id: string, status: string) =>
    request<CaseDetail>(`/cases/${encodeURIComponent(id)}/breach`, { method: 'PUT', body: JSON.stringify({ status }) }),
  draftCorrection: (id: string) =>
    request<CaseDetail>(`/cases/${encodeURIComponent(id)}/correction`, { method: 'POST' }),
  editCorrection: (id: string, text: string) =>
    request<CaseDetail>(`/cases/${encodeURIComponent(id)}/correction`, {
      method: 'PUT',
      body: JSON.stringify({ text }),
    }),
  decideCorrection: (id: string, body: { decision: 'goedkeuren' | 'afwijzen'; text?: string; reason?: string }) =>
    request<CaseDetail>(`/cases/${encodeURIComponent(id)}/correction/decision`, {
      method: 'POST',
      body: JSON.stringify(body),
    }),
  correctionPosted: (id: string) =>
    request<CaseDetail>(`/cases/${encodeURIComponent(id)}/correction/posted`, { method: 'POST' }),
  saveContacts: (slug: string, contacts: Contact[]) =>
    request<{ ok: true; contacts: Contact[] }>(`/schools/${encodeURIComponent(slug)}/contacts`, {
      method: 'PUT',
      body: JSON.stringify({ contacts }),
    }),
  saveCalendar: (slug: string, entries: CalendarEntry[]) =>
    request<{ ok: true; calendar: CalendarEntry[] }>(`/schools/${encodeURIComponent(slug)}/calendar`, {
      method: 'PUT',
      body: JSON.stringify({ entries }),
    }),
  saveRegion: (slug: string, region: string | null) =>
    request<{ ok: true; region: string | null }>(`/schools/${encodeURIComponent(slug)}/region`, {
      method: 'PUT',
      body: JSON.stringify({ region }),
    }),
  saveBoardCalendar: (entries: BoardCalendarEntry[]) =>
    request<{ ok: true; calendar: BoardCalendarEntry[] }>('/board/calendar', {
      method: 'PUT',
      body: JSON.stringify({ entries }),
    }),
  points: (slug: string) => request<{ points: SchoolPoint[] }>(`/schools/${encodeURIComponent(slug)}/points`),
  mail: () => request<MailState>('/board/mail'),
  retention: () => request<Retention>('/board/retention'),
  users: () => request<{ users: UserRow[] }>('/users'),
  inviteUser: (body: { email: string; name: string; role: string; schools: string[] }) =>
    request<{ id: string; link: string; expiresAt: string }>('/users', { method: 'POST', body: JSON.stringify(body) }),
  updateUser: (id: string, body: { role: string; schools: string[] }) =>
    request<{ ok: true }>(`/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: JSON.stringify(body) }),
  disableUser: (id: string) => request<{ ok: true }>(`/users/${encodeURIComponent(id)}/disable`, { method: 'POST' }),
  enableUser: (id: string) => request<{ ok: true }>(`/users/${encodeURIComponent(id)}/enable`, { method: 'POST' }),
  resetUser: (id: string) =>
    request<{ link: string; expiresAt: string }>(`/users/${encodeURIComponent(id)}/reset`, { method: 'POST' }),
  setPassword: (token: string, password: string) =>
    request<{ ok: true; email: string }>('/auth/set-password', {
      method: 'POST',
      body: JSON.stringify({ token, password }),
    }),
  changePassword: (current: string, next: string) =>
    request<{ ok: true; otherSessionsEnded: number }>('/me/password', {
      method: 'POST',
      body: JSON.stringify({ current, next }),
    }),
  logoutEverywhere: () => request<{ ok: true }>('/me/logout-everywhere', { method: 'POST' }),
  audit: (q: Record<string, string>) => request<{ entries: AuditEntry[] }>(`/audit${query(q)}`),
  auditCsv: async (q: Record<string, string>) => {
    const res = await fetch('/api/audit/export', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(q),
    });
    if (!res.ok) throw new ApiError((await res.json().catch(() => ({}))).error ?? `HTTP ${res.status}`, res.status);
    return res.blob();
  },
  personSearch: (body: { term: string; reference: string }) =>
    request<{ hits: PersonHit[] }>('/privacy/search', { method: 'POST', body: JSON.stringify(body) }),
  personExport: (body: { term: string; reference: string }) =>
    request<Ok<Client['privacy']['export']['$post']>>('/privacy/export', {
      method: 'POST',
      body: JSON.stringify(body),
    }),
  personErase: (body: { term: string; reference: string; mentionIds: string[] }) =>
    request<Ok<Client['privacy']['erase']['$post']>>('/privacy/erase', { method: 'POST', body: JSON.stringify(body) }),
  saveRetention: (body: {
    mentionsMonths: number;
    reportsMonths: number;
    contactMonths: number;
    auditMonths: number;
  }) => request<{ ok: true }>('/board/retention', { method: 'PUT', body: JSON.stringify(body) }),
  saveMail: (body: Record<string, unknown>) =>
    request<{ ok: true; notice?: string }>('/board/mail', { method: 'PUT', body: JSON.stringify(body) }),
  testMail: () => request<{ ok: true; to: string }>('/board/mail/test', { method: 'POST' }),
  policy: () => request<PolicyState>('/policy'),
  shippedPreset: (id: string) => request<PolicyForm>(`/policy/presets/${encodeURIComponent(id)}`),
  savePolicy: (body: PolicyEditBody) => request<PolicyState>('/policy', { method: 'PUT', body: JSON.stringify(body) }),
  restorePolicy: (version: number) => request<PolicyState>(`/policy/versions/${version}/restore`, { method: 'POST' }),
  testSource: (body: SourceForm) =>
    request<TestResult>('/sources/test', { method: 'POST', body: JSON.stringify(body) }),
};

// The monthly report (issue 19): the print view's data, its PDF, and the opt-in e-mail.
export type MonthlyReport = Ok<Client['reports']['monthly']['$get']>;
const reportQuery = (month: string, school?: string) =>
  new URLSearchParams({ month, ...(school ? { school } : {}) }).toString();
export const reportApi = {
  monthly: (month: string, school?: string) => request<MonthlyReport>(`/reports/monthly?${reportQuery(month, school)}`),
  pdfUrl: (month: string, school?: string) => `/api/reports/monthly.pdf?${reportQuery(month, school)}`,
  mail: () => request<{ on: boolean }>('/me/monthly-report'),
  setMail: (on: boolean) =>
    request<{ on: boolean }>('/me/monthly-report', { method: 'PUT', body: JSON.stringify({ on }) }),
};
