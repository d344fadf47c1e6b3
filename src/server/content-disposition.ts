/**
 * A `content-disposition: attachment` header value for any file name (RFC 6266): the name
 * percent-encoded as UTF-8 in `filename*`, which current clients read, plus a plain-ASCII
 * `filename` for older ones. Header values must be ASCII without control characters, so a name
 * such as `🙂.txt` or one holding CR/LF is never written raw (Node would refuse the header).
 */
export function attachmentDisposition(filename: string): string {
  // Printable ASCII except the quoted-string specials and '%' (some clients decode it).
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/gu, '_');
  // RFC 8187 attr-char leaves only ALPHA / DIGIT / !#$&+-.^_`|~ unencoded.
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
