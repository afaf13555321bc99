import type { MentionItem } from '../../../server/queries/mentions.ts';
import type { SourceHealth } from '../../../server/queries/sources.ts';

export type { MentionItem, SourceHealth };
export type Me = {
  user: { id: string; email: string; name: string; role: 'communicatie' | 'directie' | 'privacy' | 'beheer'; allSchools: boolean };
  board: { slug: string; name: string; policy: string };
  schools: { id: string; slug: string; name: string }[];
};
export type MentionPage = { items: MentionItem[]; nextCursor: string | null };
export type MentionQuery = { school?: string; sentiment?: string; q?: string; cursor?: string; limit?: number };

export class ApiError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api${path}`, { credentials: 'same-origin', ...init, headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}) } });
  } catch {
    throw new ApiError('network', 0);
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(body.error ?? `HTTP ${res.status}`, res.status);
  return body as T;
}

function query(params: Record<string, string | number | undefined>) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `?${s}` : '';
}

export const api = {
  login: (email: string, password: string) => request<{ ok: true }>('/auth/login', { method: 'POST', body: JSON.stringify({ email, password }) }),
  logout: () => request<{ ok: true }>('/auth/logout', { method: 'POST' }),
  me: () => request<Me>('/me'),
  mentions: (q: MentionQuery) => request<MentionPage>(`/mentions${query(q)}`),
  mention: (id: string) => request<MentionItem>(`/mentions/${encodeURIComponent(id)}`),
  sources: () => request<{ items: SourceHealth[] }>('/sources'),
};
