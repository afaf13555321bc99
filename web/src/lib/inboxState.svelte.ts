import type { MentionItem } from './api.ts';

// Kept outside the page so filters and the loaded list survive a visit to a mention's detail page.
export const inbox = $state<{
  school: string;
  sentiment: string;
  risk: string;
  q: string;
  from: string;
  to: string;
  state: string;
  sort: string;
  // where the keyboard and the page were, so coming back from a post returns there
  focus: number;
  scrollY: number;
  items: MentionItem[];
  nextCursor: string | null;
  loaded: boolean;
}>({
  school: '',
  sentiment: '',
  risk: '',
  q: '',
  from: '',
  to: '',
  state: 'open',
  sort: 'newest',
  focus: -1,
  scrollY: 0,
  items: [],
  nextCursor: null,
  loaded: false,
});

// Which inbox request may still write the list. It lives beside the list, not in the page: an answer
// that arrives after a logout (or after the page was left and opened again) belongs to an older
// request and must not fill the next user's inbox.
const requests = { latest: 0 };

export function startInboxRequest(): () => boolean {
  const mine = ++requests.latest;
  return () => mine === requests.latest;
}

export function resetInbox() {
  requests.latest++;
  Object.assign(inbox, {
    loaded: false,
    items: [],
    nextCursor: null,
    school: '',
    sentiment: '',
    risk: '',
    q: '',
    from: '',
    to: '',
  });
}

// A link with filters (#/?school=…&sentiment=…&from=…&to=…, e.g. a bar of the Overzicht) opens the
// inbox on exactly those posts; filters not in the link are cleared.
export function applyInboxLink(query: Record<string, string>): boolean {
  const keys = ['school', 'sentiment', 'risk', 'q', 'from', 'to'] as const;
  if (!keys.some((k) => query[k]) && !query.state && !query.sort) return false;
  const same =
    keys.every((k) => inbox[k] === (query[k] ?? '')) &&
    inbox.state === (query.state ?? 'open') &&
    inbox.sort === (query.sort ?? 'newest');
  if (same && inbox.loaded) return false; // back from a post: the list, focus and scroll stay
  for (const k of keys) inbox[k] = query[k] ?? '';
  inbox.state = query.state ?? 'open';
  inbox.sort = query.sort ?? 'newest';
  inbox.loaded = false;
  // the posts of the previous filters are not shown under the new ones while their list loads
  inbox.items = [];
  inbox.nextCursor = null;
  return true;
}

// The filters as a link (#/?…), so a view can be bookmarked and shared.
export function inboxLink(): string {
  const q = new URLSearchParams();
  for (const k of ['school', 'sentiment', 'risk', 'q', 'from', 'to'] as const) if (inbox[k]) q.set(k, inbox[k]);
  if (inbox.state !== 'open') q.set('state', inbox.state);
  if (inbox.sort !== 'newest') q.set('sort', inbox.sort);
  const s = q.toString();
  return s ? `#/?${s}` : '#/';
}
