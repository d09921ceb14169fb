/**
 * Fixture factories with defaults: a valid case that each test changes in one respect, so a test
 * reads like the rule it checks (`allocation({ youth: { birthDate: '2019-03-02' } })`).
 */
import { BACKENDS, DecisionEngine, type BackendName } from '../../engine/decide.js';
import { loadRepository } from '../../engine/loader.js';
import type { Decision } from '../../engine/schema.js';

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K];
};
type Json = Record<string, unknown>;

function merge(base: Json, patch: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    if (value === undefined) delete out[key];
    else if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      current &&
      typeof current === 'object' &&
      !Array.isArray(current)
    ) {
      out[key] = merge(current as Json, value as Json);
    } else out[key] = value;
  }
  return out;
}

/** A crisis of 30 days in Ommen: review under IJsselland's 28-day maximum, granted under 35. */
export const crisisCase = {
  type: 'allocation',
  municipality: 'ommen',
  referenceDate: '2026-11-15',
  youth: { birthDate: '2012-06-01' },
  referral: { referrer: 'gecertificeerde-instelling' },
  request: { profile: 11, intensity: 'crisis', startDate: '2026-11-15', endDate: '2026-12-14' },
};

/** An IJsselland allocation: Zwolle, profile 2 perspectief, youth aged 8, on 2026-03-02. */
export function ijsselAllocation(patch: DeepPartial<Json> & Json = {}): Json {
  return merge(
    {
      type: 'allocation',
      municipality: 'zwolle',
      referenceDate: '2026-03-02',
      youth: { birthDate: '2017-05-12' },
      referral: { referrer: 'gemeentelijke-toegang' },
      request: { profile: 2, intensity: 'perspectief', startDate: '2026-03-02', endDate: '2026-08-31' },
    },
    patch,
  );
}

/** A valid dyslexia case (profile 12): reading P8, three measurements, school support. */
export function dyslexiaCase(patch: Json = {}): Json {
  return merge(
    ijsselAllocation({
      request: { profile: 12, intensity: 'perspectief', startDate: '2026-03-02', endDate: undefined },
      dyslexia: {
        readingPercentile: 8,
        spellingPercentile: 30,
        comorbidity: false,
        schoolDossier: { measurements: 3, schoolSupport: true },
      },
    }),
    patch,
  );
}

/** A MIJOV allocation: Apeldoorn, begeleiding individueel basis, 52 hours over six months. */
export function mijovAllocation(patch: Json = {}): Json {
  return merge(
    {
      type: 'allocation',
      municipality: 'apeldoorn',
      referenceDate: '2026-02-01',
      youth: { birthDate: '2014-09-09' },
      referral: { referrer: 'gemeentelijke-toegang' },
      request: {
        product: 'begeleiding-individueel',
        level: 'basis',
        units: 52,
        unit: 'uur',
        startDate: '2026-02-01',
        endDate: '2026-07-31',
      },
    },
    patch,
  );
}

/** A provider asking to join, on an entry moment, with everything in order. */
export function admission(patch: Json = {}): Json {
  return merge(
    {
      type: 'admission',
      purpose: 'entry',
      municipality: 'raalte',
      referenceDate: '2026-07-01',
      entryDate: '2026-07-01',
      provider: {
        name: 'Voorbeeld Jeugdzorg BV',
        registrations: ['SKJ'],
        governanceCodeZorg: true,
        clientsLastYear: 12,
        productGroups: [],
      },
      requestedProductGroup: 'profiel-2',
    },
    patch,
  );
}

/**
 * Every backend by name, for one shared suite per backend:
 * `describe.each(BACKEND_NAMES)('on %s', (backend) => { const { decide } = decider(backend); … })`.
 */
export const BACKEND_NAMES = Object.keys(BACKENDS) as BackendName[];

const engines = new Map<BackendName, DecisionEngine>();
/** An engine over the repository's own rules/ on one backend (json-rules-engine unless named), built once per test file. */
export function engine(backend: BackendName = 'json-rules-engine'): DecisionEngine {
  let e = engines.get(backend);
  if (!e) {
    e = new DecisionEngine(loadRepository(), BACKENDS[backend]);
    engines.set(backend, e);
  }
  return e;
}

export function decide(c: unknown): Promise<Decision> {
  return engine().decide(c);
}

/** `decide` and `engine` on one backend. */
export function decider(backend: BackendName) {
  return { engine: () => engine(backend), decide: (c: unknown) => engine(backend).decide(c) };
}

export const codesOf = (d: Decision) => d.reasons.map((r) => r.code);

/**
 * An Apeldoorn renewal for behandeling by a provider with `clientsLastYear` clients last year
 * (the overlay's minimum decides it), with `patch` on top.
 */
export const apeldoornRenewal = (clientsLastYear: number, patch: Json = {}): Json =>
  admission(
    merge(
      {
        municipality: 'apeldoorn',
        purpose: 'renewal',
        requestedProductGroup: 'behandeling',
        provider: { clientsLastYear },
      },
      patch,
    ),
  );
