import type { MentionItem } from './api.ts';

// Kept outside the page so filters and the loaded list survive a visit to a mention's detail page.
export const inbox = $state<{
  school: string;
  sentiment: string;
  risk: string;
  q: string;
  from: string;
  to: string;
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
  if (!keys.some((k) => query[k])) return false;
  for (const k of keys) inbox[k] = query[k] ?? '';
  inbox.loaded = false;
  return true;
}
