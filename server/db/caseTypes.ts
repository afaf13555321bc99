import type { ActionStatus, BreachStatus, CaseState, DraftState, OutcomeKind, Severity } from './schema.ts';
import type { ActionType, GuidancePart } from '../../workers/policy/types.ts';
import type { MentionItem } from './mentionTypes.ts';

// A case as the "Acties" board lists it and as its page shows it (server/db/caseList.ts, cases.ts).

export type CaseFilters = {
  state?: CaseState | 'open' | 'closed' | 'all';
  schoolId?: string;
  type?: ActionType;
  mine?: boolean;
  overdue?: boolean;
};

export type CaseSummary = {
  id: string;
  school: { slug: string; name: string };
  kind: 'concern' | 'good_news';
  state: CaseState;
  severity: Severity;
  headline: string; // the first post's title or opening words, personal data masked
  topAction: ActionType;
  actionTypes: ActionType[];
  openActions: number;
  dueAt: string;
  overdue: boolean;
  assignee: { id: string; name: string } | null;
  mentions: number;
  lastMentionAt: string;
  createdAt: string;
  closedAt: string | null;
  breach: { status: BreachStatus | null; deadline: string } | null;
};

export type CaseAction = {
  type: ActionType;
  article: string;
  basis: string;
  roles: string[];
  guidance: string;
  parts: GuidancePart[];
  points: string[];
  facts: string[];
  dueAt: string;
  status: ActionStatus;
  doneBy: string | null;
  doneAt: string | null;
  people: { role: string; name: string; email: string | null; phone: string | null }[];
};

export type CaseEvent = { id: string; actor: string; kind: string; details: Record<string, unknown>; at: string };
export type CorrectionDraft = {
  text: string;
  state: DraftState;
  draftedBy: string;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
  postedBy: string | null;
  postedAt: string | null;
  link: string | null;
};
export type CaseDetail = CaseSummary & {
  policy: { id: string; name: string; stance?: GuidancePart };
  outcomeKind: OutcomeKind | null;
  outcome: string | null;
  actions: CaseAction[];
  items: MentionItem[];
  events: CaseEvent[];
  draft: CorrectionDraft | null;
  related: { id: string; state: string; school: string; correction: string | null }[];
  points: { id: string; kind: 'sterk' | 'verbeter'; text: string; createdBy: string; at: string }[];
  assignable: { id: string; name: string; role: string }[];
};
