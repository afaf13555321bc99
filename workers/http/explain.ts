// What went wrong fetching a source, in plain Dutch for the person who set it up, with the technical
// message kept apart (shown folded away) for whoever has to dig further. Pure.
const RULES: [RegExp, (m: RegExpExecArray) => string][] = [
  [
    /(?:getaddrinfo )?(?:ENOTFOUND|EAI_NONAME)\s*(\S+)?|(\S+) heeft geen adres/,
    (m) =>
      `Het adres ${m[1] ?? m[2] ?? ''} bestaat niet of is niet te vinden. Controleer de spelling van de link.`.replace(
        '  ',
        ' ',
      ),
  ],
  [/EAI_AGAIN/, () => 'De naam van de site kon nu niet worden opgezocht. Probeer het later opnieuw.'],
  [/ECONNREFUSED/, () => 'De server van de site weigert de verbinding. Misschien is de site uit de lucht.'],
  [/ECONNRESET|socket hang up|EPIPE/, () => 'De verbinding werd onderweg verbroken. Probeer het later opnieuw.'],
  [/ETIMEDOUT|ESOCKETTIMEDOUT|binnen \d/, () => 'De site antwoordt niet op tijd. Probeer het later opnieuw.'],
  [/EHOSTUNREACH|ENETUNREACH/, () => 'De server van de site is niet bereikbaar.'],
  [
    /CERT|certificate|SSL|TLS|self[- ]signed/i,
    () => 'Het beveiligingscertificaat van de site klopt niet; Klankbord haalt de pagina daarom niet op.',
  ],
];

export function explainFetchError(message: string): { text: string; detail: string | null } {
  for (const [re, say] of RULES) {
    const m = re.exec(message);
    if (m) return { text: say(m), detail: message };
  }
  return { text: message, detail: null };
}
