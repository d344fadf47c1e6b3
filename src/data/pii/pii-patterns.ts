/** The kinds of personal data Gyre tags and recognises. */
export const PII_KINDS = [
  'email',
  'phone',
  'card_number',
  'name',
  'address',
  'national_id',
  'ip_address',
  'date_of_birth',
  'other',
] as const;
export type PiiKind = (typeof PII_KINDS)[number];

/** Column names that say what they hold; matched on the name split into words. */
const NAME_PATTERNS: [RegExp, PiiKind][] = [
  [/(^|_)e?_?mail(_?address)?($|_)/, 'email'],
  [/(^|_)(phone|mobile|cell|msisdn|tel|telephone)(_?(number|no))?($|_)/, 'phone'],
  [/(^|_)(card|cc|credit_?card|pan|ccn)(_?(number|no|num))?($|_)/, 'card_number'],
  [/(^|_)(first|last|full|given|family|sur)_?name($|_)|^name$|^customer_name$/, 'name'],
  [/(^|_)(street|address|addr|postcode|zip|zip_?code|postal_?code)($|_)/, 'address'],
  [/(^|_)(ssn|social_security|passport|national_id|tax_id|nin)($|_)/, 'national_id'],
  [/(^|_)ip(_?address)?($|_)/, 'ip_address'],
  [/(^|_)(dob|date_of_birth|birth_?date|birthday)($|_)/, 'date_of_birth'],
];

/** snake_case words of a column name: `customerEmail` and `Customer-Email` → `customer_email`. */
function words(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

/** The kind a column's name suggests, if any. */
export function piiKindOfName(name: string): PiiKind | undefined {
  const w = words(name);
  return NAME_PATTERNS.find(([re]) => re.test(w))?.[1];
}

const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;
const PHONE = /^\+?[0-9()\s.-]{7,20}$/;
const CARD = /^[0-9][0-9 -]{11,22}[0-9]$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** The Luhn checksum card numbers carry: true when the digits add up. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (d < 0 || d > 9) return false;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The kind of personal data one value looks like, if any. */
export function piiKindOfValue(value: unknown): PiiKind | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const s = String(value).trim();
  if (s.length < 7 || s.length > 254) return undefined;
  if (EMAIL.test(s)) return 'email';
  if (IPV4.test(s)) return 'ip_address';
  if (CARD.test(s)) {
    const digits = s.replace(/[ -]/g, '');
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) return 'card_number';
  }
  if (PHONE.test(s)) {
    const digits = s.replace(/\D/g, '');
    // A phone number is written with separators or a +; a bare run of digits is more
    // likely an id or an amount.
    if (digits.length >= 7 && digits.length <= 15 && /[+\s().-]/.test(s)) return 'phone';
  }
  return undefined;
}
