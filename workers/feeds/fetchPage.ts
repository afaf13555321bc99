import { decodeBody } from '../http/decode.ts';
import { guardedFetch, type FetchOptions } from '../http/guardedFetch.ts';
import { readPage, type PageInfo } from './htmlPage.ts';

// A pasted link: fetch the page once through the guarded client and read what it says of itself.
export async function fetchPageInfo(url: string, options: FetchOptions): Promise<PageInfo> {
  const res = await guardedFetch(url, {
    ...options,
    maxBytes: 2 * 1024 * 1024,
    headers: { accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5' },
  });
  if (res.status >= 400) throw new Error(`HTTP ${res.status}`);
  return readPage(decodeBody(res.body, res.headers['content-type']), res.url);
}
