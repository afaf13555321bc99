// The one HTML escaper for server-rendered pages (meldpunt, dossier, the demo feed): everything that
// came from outside goes through it.
export const escapeHtml = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
