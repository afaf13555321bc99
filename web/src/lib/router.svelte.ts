// Hash routing: #/ is the inbox, #/vermelding/<id> a mention. Enough for a dashboard served by one
// server, and the browser's back button just works. `query`: what follows "?" (filters in a link,
// e.g. #/?school=meander&from=2026-10-01 opens the inbox on exactly those posts).
const parse = () => {
  const [path, q = ''] = (location.hash.slice(1) || '/').split('?');
  return { path: path || '/', query: Object.fromEntries(new URLSearchParams(q)) as Record<string, string> };
};

export const route = $state<{ path: string; query: Record<string, string> }>(parse());

window.addEventListener('hashchange', () => {
  Object.assign(route, parse());
});

// The path the address shows now. `route` follows it only when the browser's hashchange event has run,
// a task after the address changed: an answer that arrives in between must read the address itself.
export const addressPath = () => parse().path;

export function go(path: string) {
  location.hash = path;
}
