// Feeds declare their encoding in the Content-Type header or the XML prolog; many old Dutch feeds
// are still ISO-8859-1 or windows-1252.
export function decodeBody(body: Buffer, contentType?: string): string {
  const fromHeader = contentType?.match(/charset="?([\w-]+)/i)?.[1];
  const head = body.subarray(0, 200).toString('latin1');
  const fromProlog = head.match(/<\?xml[^>]*encoding=["']([\w-]+)["']/i)?.[1];
  const bom = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
  const label = bom ? 'utf-8' : (fromHeader ?? fromProlog ?? 'utf-8');
  try {
    return new TextDecoder(label.toLowerCase()).decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}
