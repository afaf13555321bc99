// Hash routing: #/ is the inbox, #/vermelding/<id> a mention. Enough for a dashboard served by one
// server, and the browser's back button just works.
export const route = $state<{ path: string }>({ path: location.hash.slice(1) || '/' });

window.addEventListener('hashchange', () => {
  route.path = location.hash.slice(1) || '/';
});

export function go(path: string) {
  location.hash = path;
}
