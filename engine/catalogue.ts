/**
 * A composition's catalogue and tariff table as lookups, built once per composition: a decision
 * looks up its profile or product and its price several times (facts, validation, tariff,
 * illustrative values), and a `find` over the lists each time was a noticeable part of it.
 */
import type { EffectiveRuleSet } from './compose.js';
import type { EffortRegionRuleSet, OutputRegionRuleSet, Product, Profile } from './schema.js';

export type MiddleSegmentTariff = OutputRegionRuleSet['tariffs']['middleSegment'][number];
export type ProductTariff = EffortRegionRuleSet['tariffs']['products'][number];

export interface CatalogueIndex {
  profiles: ReadonlyMap<number, Profile>;
  products: ReadonlyMap<string, Product>;
  /** The product groups an admission may name: `profiel-N` per profile, or each product's slug. */
  productGroups: ReadonlySet<string>;
  /** The middle segment's tariff entries per profile, in table order (empty for effort). */
  middleSegment: ReadonlyMap<number, readonly MiddleSegmentTariff[]>;
  /** The product tariff entries per product slug, in table order (empty for output). */
  productTariffs: ReadonlyMap<string, readonly ProductTariff[]>;
}

const catalogues = new WeakMap<EffectiveRuleSet, CatalogueIndex>();

/** Appends `value` to the list under `key`: entries keep the table's order, so a `find` on the list agrees with one on the table. */
function group<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The catalogue of a composition as maps, made the first time it is asked for and kept as long as
 * the composition is (compositions are cached and never change); the first entry wins, as `find`
 * on the list did.
 */
export function catalogueOf(effective: EffectiveRuleSet): CatalogueIndex {
  let index = catalogues.get(effective);
  if (index) return index;
  const { catalogue, tariffs } = effective.region.document;
  const profiles = new Map<number, Profile>();
  const products = new Map<string, Product>();
  if ('profiles' in catalogue)
    for (const p of catalogue.profiles) if (!profiles.has(p.number)) profiles.set(p.number, p);
  if ('products' in catalogue) for (const p of catalogue.products) if (!products.has(p.slug)) products.set(p.slug, p);
  const productGroups = new Set(
    'profiles' in catalogue
      ? catalogue.profiles.map((p) => `profiel-${p.number}`)
      : catalogue.products.map((p) => p.slug),
  );
  const middleSegment = new Map<number, MiddleSegmentTariff[]>();
  const productTariffs = new Map<string, ProductTariff[]>();
  if (tariffs.model === 'output') for (const t of tariffs.middleSegment) group(middleSegment, t.profile, t);
  else for (const t of tariffs.products) group(productTariffs, t.product, t);
  index = { profiles, products, productGroups, middleSegment, productTariffs };
  catalogues.set(effective, index);
  return index;
}

export function findProfile(effective: EffectiveRuleSet, number: number): Profile | undefined {
  return catalogueOf(effective).profiles.get(number);
}

export function findProduct(effective: EffectiveRuleSet, slug: string): Product | undefined {
  return catalogueOf(effective).products.get(slug);
}

/** The middle segment's tariff entry of a profile and intensity (the first, as in the table). */
export function middleSegmentTariff(
  effective: EffectiveRuleSet,
  profile: number,
  intensity: string,
): MiddleSegmentTariff | undefined {
  return catalogueOf(effective)
    .middleSegment.get(profile)
    ?.find((t) => t.intensity === intensity);
}

/** The tariff entry of a product at a level and unit (the first, as in the table). */
export function productTariff(
  effective: EffectiveRuleSet,
  product: string,
  level: string | undefined,
  unit: string | undefined,
): ProductTariff | undefined {
  return catalogueOf(effective)
    .productTariffs.get(product)
    ?.find((t) => t.level === level && t.unit === unit);
}
