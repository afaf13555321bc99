import iconv from 'iconv-lite';

// Feed bytes to text, in this order: byte-order mark, the HTTP charset, the XML prolog's encoding,
// strict UTF-8, and finally windows-1252 (what "ISO-8859-1" feeds usually really are). iconv-lite
// decodes windows-1252 properly; Node 20's TextDecoder treats it as latin1 and loses € and quotes.
const boms: [number[], string][] = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
];

function normaliseLabel(label: string): string | undefined {
  const l = label.trim().toLowerCase();
  // Labels that mean "Western" are decoded as windows-1252, as browsers do.
  if (['iso-8859-1', 'iso8859-1', 'latin1', 'latin-1', 'us-ascii', 'ascii', 'l1', 'cp1252'].includes(l))
    return 'windows-1252';
  return iconv.encodingExists(l) ? l : undefined;
}

function decodeAs(body: Buffer, label: string, skip = 0): string {
  const sliced = body.subarray(skip);
  if (label === 'utf-8' || label === 'utf8') return new TextDecoder('utf-8').decode(sliced);
  return iconv.decode(sliced, label);
}

export function detectEncoding(body: Buffer, contentType?: string): { label: string; bom: number } {
  for (const [bytes, label] of boms) if (bytes.every((b, i) => body[i] === b)) return { label, bom: bytes.length };
  const fromHeader = contentType?.match(/charset\s*=\s*"?([\w.:-]+)/i)?.[1];
  const header = fromHeader && normaliseLabel(fromHeader);
  if (header) return { label: header, bom: 0 };
  const prolog = body
    .subarray(0, 300)
    .toString('latin1')
    .match(/^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i)?.[1];
  const declared = prolog && normaliseLabel(prolog);
  if (declared) return { label: declared, bom: 0 };
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(body);
    return { label: 'utf-8', bom: 0 };
  } catch {
    return { label: 'windows-1252', bom: 0 };
  }
}

export function decodeBody(body: Buffer, contentType?: string): string {
  const { label, bom } = detectEncoding(body, contentType);
  return decodeAs(body, label, bom);
}
