import type { MentionItem } from './api.ts';

// Kept outside the page so filters and the loaded list survive a visit to a mention's detail page.
export const inbox = $state<{ school: string; sentiment: string; risk: string; q: string; items: MentionItem[]; nextCursor: string | null; loaded: boolean }>({
  school: '',
  sentiment: '',
  risk: '',
  q: '',
  items: [],
  nextCursor: null,
  loaded: false,
});
