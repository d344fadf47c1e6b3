/** Query or keyword parameters whose values are secrets (`password=`, `token=`, signatures). */
const SECRET_PARAM =
  /pass|pwd|secret|token|signature|credential|api[-_]?key|access[-_]?key|^key$|^sig$|^auth/i;

/** `name=value` pairs in a query string (`?a=1&b=2`) or a keyword DSN (`host=db password=x`). */
const PARAM = /(^|[?&;\s])([^=?&;\s#]+)=([^&;\s#]*)/g;

const WITH_AUTHORITY = /^[a-z][a-z0-9+.-]*:\/\//i;

function parse(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** Masks the `user:password@` part of `text`, whatever shape the text has. */
function maskUserinfo(text: string): string {
  const scheme = WITH_AUTHORITY.exec(text);
  if (!scheme) {
    // `user:password@host/...` typed without a scheme; a '/' before the '@' means a path.
    const at = text.lastIndexOf('@');
    return /^[^\s:@/]+:[^\s/]*@/.test(text) ? `****${text.slice(at)}` : text;
  }
  const start = scheme[0].length;
  const url = parse(text);
  if (url && url.host !== '') {
    if (url.password === '') return text;
    // The parser ends the authority at the first '/', '?' or '#', and the userinfo at the
    // last '@' before that: cut the original text the same way, so nothing else changes.
    const end = text.slice(start).search(/[/?#]/);
    const authority = end < 0 ? text.slice(start) : text.slice(start, start + end);
    const at = authority.lastIndexOf('@');
    const user = authority.slice(0, authority.indexOf(':'));
    return `${text.slice(0, start)}${user}:****${text.slice(start + at)}`;
  }
  // Unparseable: anything between '//' and the last '@' may be a credential.
  const at = text.lastIndexOf('@');
  return at > start ? `${text.slice(0, start)}****${text.slice(at)}` : text;
}

/**
 * Masks the secrets in a URL or connection string for display: the password of its userinfo
 * (`postgres://gyre:****@db/gyre`) and the values of secret parameters (`?password=****`,
 * `token=`, `X-Amz-Signature=`, `host=db password=****`). Strings that do not parse as URLs
 * are still masked, erring towards hiding more: everything between `//` and the last `@`.
 */
export function maskUrlPassword(text: string): string {
  return maskUserinfo(text).replace(PARAM, (whole, lead: string, name: string) =>
    SECRET_PARAM.test(name) ? `${lead}${name}=****` : whole,
  );
}

/** maskUrlPassword over every `scheme://…` URL found in free text, such as an error message. */
export function maskUrlsInText(text: string): string {
  return text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (url) => maskUrlPassword(url));
}
