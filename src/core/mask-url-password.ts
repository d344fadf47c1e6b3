/** Replaces the password in a URL's userinfo (`scheme://user:pass@host`) with `****`. */
export function maskUrlPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1****@');
}
