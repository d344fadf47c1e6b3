// The demo's synthetic card transactions: a documented, seeded generator (same seed, same
// rows) with about 1% fraud whose odds depend on the features the way card fraud does —
// large amounts, risky merchant categories, night hours, far from home, a brand-new device
// and a burst of transactions all raise them. "Worlds" shift the data the way the demo's
// story needs: covariate drift first (the same fraud mechanism on shifted inputs), then a new
// fraud pattern (card testing: tiny amounts in bursts) the first models never saw.
import { SeededRandom } from '../../ml/index.js';

export const MERCHANT_CATEGORIES = [
  'grocery',
  'restaurant',
  'gas',
  'online_retail',
  'travel',
  'electronics',
  'entertainment',
  'atm',
] as const;
export type MerchantCategory = (typeof MERCHANT_CATEGORIES)[number];

/** The model's inputs, in the order the CSV writes them (then `is_fraud`). */
export const FEATURES = [
  'amount',
  'merchant_category',
  'hour',
  'distance_from_home_km',
  'device_age_days',
  'velocity_1h',
] as const;

export interface Transaction {
  amount: number;
  merchant_category: MerchantCategory;
  hour: number;
  distance_from_home_km: number;
  device_age_days: number;
  velocity_1h: number;
  is_fraud: 0 | 1;
}

/**
 * `baseline`: the data the first model trains on. `drift`: covariate drift — bigger baskets,
 * more online and electronics spending, later hours, more travel — with the same fraud
 * mechanism. `new-pattern`: drift plus card testing, a fraud pattern absent before.
 */
export type World = 'baseline' | 'drift' | 'new-pattern';

const CATEGORY_WEIGHTS: Record<World, number[]> = {
  //           groc rest gas  onl  trav elec ent  atm
  baseline: [0.26, 0.2, 0.14, 0.14, 0.04, 0.05, 0.1, 0.07],
  drift: [0.14, 0.14, 0.08, 0.3, 0.08, 0.14, 0.08, 0.04],
  'new-pattern': [0.14, 0.14, 0.08, 0.3, 0.08, 0.14, 0.08, 0.04],
};
const CATEGORY_RISK: Record<MerchantCategory, number> = {
  grocery: -0.6,
  restaurant: -0.4,
  gas: 0,
  online_retail: 0.9,
  travel: 0.8,
  electronics: 1.3,
  entertainment: 0.1,
  atm: 0.6,
};
/** Chosen so that about 1% of baseline transactions are fraud. */
const INTERCEPT = -6.95;

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function pick<T>(random: SeededRandom, items: readonly T[], weights: readonly number[]): T {
  let u = random.next() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < items.length; i++) if ((u -= weights[i]) <= 0) return items[i];
  return items[items.length - 1];
}

function normal(random: SeededRandom): number {
  const u = Math.max(random.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
}

function poisson(random: SeededRandom, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random.next(); p > limit; p *= random.next()) k++;
  return k;
}

/** The fraud odds of the original mechanism (log-odds), the one every world keeps. */
function classicLogit(t: Omit<Transaction, 'is_fraud'>): number {
  const night = t.hour <= 5 ? 1.3 : 0;
  return (
    INTERCEPT +
    1.1 * Math.log1p(t.amount / 80) +
    CATEGORY_RISK[t.merchant_category] +
    night +
    0.9 * Math.log1p(t.distance_from_home_km / 50) +
    (t.device_age_days < 3 ? 2.0 : t.device_age_days < 30 ? 0.7 : 0) +
    0.35 * Math.min(t.velocity_1h, 8)
  );
}

/** Card testing: many tiny charges in a burst, from a new device. */
function cardTestingLogit(t: Omit<Transaction, 'is_fraud'>): number {
  const tiny = t.amount < 3 ? 3.2 : 0;
  const burst = t.velocity_1h >= 6 ? 2.6 : 0;
  return -9 + tiny + burst + (t.device_age_days < 7 ? 1.5 : 0);
}

export interface GenerateOptions {
  rows: number;
  seed: number;
  world: World;
}

/** `rows` transactions of `world`, the same for the same seed. */
export function generateTransactions(options: GenerateOptions): Transaction[] {
  const random = new SeededRandom(options.seed);
  const { world } = options;
  const shifted = world !== 'baseline';
  const out: Transaction[] = [];
  for (let i = 0; i < options.rows; i++) {
    const merchant_category = pick(random, MERCHANT_CATEGORIES, CATEGORY_WEIGHTS[world]);
    const testing = world === 'new-pattern' && random.next() < 0.06;
    // Amounts are log-normal around a category's typical basket; drift makes baskets bigger.
    const typical =
      { travel: 320, electronics: 240, atm: 120, online_retail: 70 }[merchant_category as string] ??
      35;
    const amount = testing
      ? 0.5 + random.next() * 2
      : typical * (shifted ? 1.5 : 1) * Math.exp(0.8 * normal(random));
    const hourShift = shifted ? 3 : 0;
    const hour = Math.floor(
      (((8 + hourShift + 16 * random.next() + 3 * normal(random)) % 24) + 24) % 24,
    );
    const distance_from_home_km =
      (shifted ? 14 : 8) *
      Math.exp(1.1 * normal(random)) *
      (merchant_category === 'travel' ? 6 : 1);
    const device_age_days = testing
      ? Math.floor(random.next() * 5)
      : Math.floor(-Math.log(Math.max(random.next(), 1e-9)) * (shifted ? 250 : 420));
    const velocity_1h = testing ? 6 + poisson(random, 4) : poisson(random, shifted ? 1.6 : 1.0);
    const t = {
      amount: Math.round(amount * 100) / 100,
      merchant_category,
      hour,
      distance_from_home_km: Math.round(distance_from_home_km * 10) / 10,
      device_age_days,
      velocity_1h,
    };
    let p = sigmoid(classicLogit(t));
    if (world === 'new-pattern') p = 1 - (1 - p) * (1 - sigmoid(cardTestingLogit(t)));
    out.push({ ...t, is_fraud: random.next() < p ? 1 : 0 });
  }
  return out;
}

/** The rows as CSV (a header, then one line per transaction); optionally with the demo's ETL bug. */
export function transactionsCsv(rows: readonly Transaction[], invertFraudFlag = false): string {
  const lines = [[...FEATURES, 'is_fraud'].join(',')];
  for (const t of rows)
    lines.push(
      [
        t.amount,
        t.merchant_category,
        t.hour,
        t.distance_from_home_km,
        t.device_age_days,
        t.velocity_1h,
        // The demo's broken delivery: an ETL bug that inverted the fraud flag (a join that
        // read "approved" as "fraud"). Its model ranks its own test rows as well as any, so it
        // passes the gate; on live traffic it calls nearly everything fraud.
        invertFraudFlag ? 1 - t.is_fraud : t.is_fraud,
      ].join(','),
    );
  return `${lines.join('\n')}\n`;
}

/** A transaction as a model input record (the label left out). */
export function featuresOf(t: Transaction): Record<string, string | number> {
  return {
    amount: t.amount,
    merchant_category: t.merchant_category,
    hour: t.hour,
    distance_from_home_km: t.distance_from_home_km,
    device_age_days: t.device_age_days,
    velocity_1h: t.velocity_1h,
  };
}
