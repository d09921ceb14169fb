/**
 * Request and response shapes of the HTTP API that are not engine shapes, as zod schemas: the
 * routes validate with them and the OpenAPI document is generated from them.
 */
import { z } from 'zod';
import { IsoDate, MunicipalityId, OUTCOMES, RegionId } from '../engine/index.js';

export const PublishBody = z.object({ validFrom: IsoDate }).strict();

export const ReplayBody = z
  .object({
    against: z.union([
      z.literal('recorded'),
      z.literal('in-force'),
      z.object({ ruleSet: z.string().min(1), version: z.number().int().positive() }).strict(),
    ]),
  })
  .strict();

const Page = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
};

export const DecisionQuery = z
  .object({
    municipality: MunicipalityId.optional(),
    region: RegionId.optional(),
    outcome: z.enum(OUTCOMES).optional(),
    reasonCode: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]+$/)
      .optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    ...Page,
  })
  .strict();

export const DecisionFilterBody = DecisionQuery.omit({ limit: true, offset: true });

export const ImpactBody = z
  .object({
    candidate: z.union([
      z.object({ ruleSet: z.string().min(1), draftId: z.string().min(1) }).strict(),
      z.object({ ruleSet: z.string().min(1), version: z.number().int().positive() }).strict(),
    ]),
    filter: DecisionFilterBody.default({}),
  })
  .strict();

export const PageQuery = z.object(Page).strict();
export const DateQuery = z.object({ date: IsoDate }).strict();
export const DiffQuery = z.object({ from: z.string().min(1), to: z.string().min(1) }).strict();
export const EvaluateQuery = z.object({ dryRun: z.enum(['true', 'false']).optional() }).strict();
export const ValidateQuery = z.object({ validFrom: IsoDate.optional() }).strict();

export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string(),
  instance: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string(), code: z.string() })),
});

export const TestCaseBody = z
  .object({
    name: z.string().min(1).max(200),
    case: z.unknown(),
    expected: z
      .object({ outcome: z.enum(OUTCOMES), codes: z.array(z.string().regex(/^[A-Z][A-Z0-9_]+$/)).max(50) })
      .strict(),
  })
  .strict();

export const CandidateQuery = z
  .object({ draftId: z.string().min(1).optional(), version: z.coerce.number().int().positive().optional() })
  .strict()
  .refine((q) => (q.draftId === undefined) !== (q.version === undefined), { message: 'Geef draftId of version.' });
