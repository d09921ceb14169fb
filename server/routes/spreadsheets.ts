/**
 * A regional rule set in other formats: its tariffs, parameters and test cases as a spreadsheet
 * (`.xlsx` or `.csv`) out and back into a draft, and its rules as DMN 1.3 decision tables.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import {
  canonicalJson,
  issuesFromZod,
  type RuleSetDraft,
  RuleSetDraft as RuleSetDraftSchema,
  RuleSetValidationError,
  ruleSetToDmn,
  SemanticChange,
  semanticDiff,
} from '../../engine/index.js';
import { DraftParams, VersionParams } from '../api-schemas.js';
import { actorName, principalOf, requireRuleSetWriter } from '../auth.js';
import { json, problems, routeGroup } from '../openapi.js';
import { ProblemError } from '../problems.js';
import type { RulesService } from '../service.js';
import {
  CSV_TYPE,
  exportSpreadsheet,
  importSpreadsheet,
  SHEET_KEYS,
  type SheetKey,
  type SheetTestCase,
  XLSX_TYPE,
} from '../spreadsheet.js';
import { mediaTypeOf } from '../validate.js';

const TAGS = ['Rule sets'];

const signedIn: MiddlewareHandler = async (c, next) => {
  principalOf(c);
  await next();
};
const writer: MiddlewareHandler = async (c, next) => {
  requireRuleSetWriter(c, c.req.param('id')!);
  await next();
};

const Sheet = z.enum(SHEET_KEYS as [SheetKey, ...SheetKey[]]).openapi({
  description: 'Welk werkblad, voor CSV: tarieven, parameters of testgevallen',
});
const ExportQuery = z
  .object({ format: z.enum(['xlsx', 'csv']).default('xlsx'), sheet: Sheet.default('tarieven') })
  .strict();
const ImportQuery = z.object({ dryRun: z.enum(['true', 'false']).optional(), sheet: Sheet.optional() }).strict();

const SpreadsheetImport = z
  .object({
    dryRun: z.boolean(),
    /** The draft was saved (not on a dry run, and only when something changed). */
    saved: z.boolean(),
    /** The semantic diff of the draft: each change with a Dutch sentence. */
    changes: z.array(SemanticChange.meta({})),
    testCases: z.object({ added: z.array(z.string()), replaced: z.array(z.string()) }),
    etag: z.string(),
  })
  .openapi('SpreadsheetImport');

const fileContent = {
  [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) },
  [CSV_TYPE]: { schema: z.string() },
};

const exportVersion = createRoute({
  method: 'get',
  path: '/{id}/versions/{n}/spreadsheet',
  tags: TAGS,
  summary: "A regional version's tariffs, parameters and test cases as .xlsx (or one sheet as .csv)",
  middleware: [signedIn],
  request: { params: VersionParams, query: ExportQuery },
  responses: { 200: { description: 'The file', content: fileContent }, ...problems(400, 401, 404, 422) },
});

const exportDraft = createRoute({
  method: 'get',
  path: '/{id}/drafts/{draftId}/spreadsheet',
  tags: TAGS,
  summary: "A regional draft's tariffs, parameters and test cases as .xlsx (or one sheet as .csv)",
  middleware: [signedIn],
  request: { params: DraftParams, query: ExportQuery },
  responses: { 200: { description: 'The file', content: fileContent }, ...problems(400, 401, 404, 422) },
});

const importDraft = createRoute({
  method: 'post',
  path: '/{id}/drafts/{draftId}/spreadsheet',
  tags: TAGS,
  summary:
    'Read a spreadsheet into a draft (If-Match required unless ?dryRun=true, which only lists the changes); a problem per cell',
  middleware: [writer],
  request: {
    params: DraftParams,
    query: ImportQuery,
    headers: z.object({
      'if-match': z.string().optional().openapi({ description: 'The ETag the draft was read with' }),
    }),
    body: { required: true, content: fileContent },
  },
  responses: {
    200: { description: 'What the file changes (and whether it was saved)', content: json(SpreadsheetImport) },
    ...problems(400, 401, 403, 404, 412, 413, 422, 428),
  },
});

const exportDmn = createRoute({
  method: 'get',
  path: '/{id}/versions/{n}/dmn',
  tags: TAGS,
  summary: "A regional version's rules and tariffs as DMN 1.3 decision tables",
  middleware: [signedIn],
  request: { params: VersionParams },
  responses: {
    200: { description: 'DMN 1.3 XML', content: { 'application/xml': { schema: z.string() } } },
    ...problems(401, 404, 422),
  },
});

function regionOnly(document: RuleSetDraft) {
  if (document.kind !== 'region')
    throw new ProblemError(
      422,
      'NOT_A_REGION',
      'Alleen een regionale regelset heeft tarieven en een regeltabel; een gemeente zet parameters in haar overlay.',
    );
  return document;
}

async function testCasesOf(service: RulesService, id: string): Promise<SheetTestCase[]> {
  return (await service.testCases(id)).map((t) => ({
    name: t.name,
    case: t.case,
    expected: { outcome: t.expected.outcome, codes: t.expected.codes },
  }));
}

const TYPES = { xlsx: XLSX_TYPE, csv: `${CSV_TYPE}; charset=utf-8` } as const;

export function spreadsheetRoutes(service: RulesService) {
  const fileAnswer = async (id: string, label: string, document: RuleSetDraft, query: z.infer<typeof ExportQuery>) => {
    const bytes = await exportSpreadsheet(
      regionOnly(document),
      await testCasesOf(service, id),
      query.format,
      query.sheet,
    );
    const name = query.format === 'xlsx' ? `${id}-${label}.xlsx` : `${id}-${label}-${query.sheet}.csv`;
    return new Response(bytes as Uint8Array<ArrayBuffer>, {
      status: 200,
      headers: { 'Content-Type': TYPES[query.format], 'Content-Disposition': `attachment; filename="${name}"` },
    });
  };

  return routeGroup()
    .openapi(exportVersion, async (c) => {
      const { id, n } = c.req.valid('param');
      return fileAnswer(id, `v${n}`, (await service.version(id, n)).document, c.req.valid('query'));
    })
    .openapi(exportDraft, async (c) => {
      const { id, draftId } = c.req.valid('param');
      return fileAnswer(id, 'concept', (await service.draft(id, draftId)).document, c.req.valid('query'));
    })
    .openapi(importDraft, async (c) => {
      const { id, draftId } = c.req.valid('param');
      const { dryRun: dry, sheet } = c.req.valid('query');
      const dryRun = dry === 'true';
      const type = mediaTypeOf(c.req.header('content-type'));
      const format = type === XLSX_TYPE ? 'xlsx' : type === CSV_TYPE ? 'csv' : undefined;
      if (!format)
        throw new ProblemError(
          400,
          'UNSUPPORTED_CONTENT_TYPE',
          `Stuur een .xlsx-bestand (${XLSX_TYPE}) of CSV (${CSV_TYPE}).`,
          [{ path: '$.headers.content-type', message: type || '(geen)', code: 'invalid_value' }],
        );
      const draft = await service.draft(id, draftId);
      const read = await importSpreadsheet(
        regionOnly(draft.document),
        new Uint8Array(await c.req.arrayBuffer()),
        format,
        sheet,
      );
      const parsed = RuleSetDraftSchema.safeParse(read.document);
      if (!parsed.success)
        throw new RuleSetValidationError('Het bestand maakt de regelset ongeldig.', issuesFromZod(parsed.error));
      const changes = semanticDiff(draft.document, parsed.data);

      const existing = await service.testCases(id);
      const added: string[] = [];
      const replaced: { name: string; id: string }[] = [];
      for (const t of read.testCases ?? []) {
        const same = existing.find((e) => e.name === t.name);
        if (!same) added.push(t.name);
        else if (canonicalJson({ c: same.case, e: same.expected }) !== canonicalJson({ c: t.case, e: t.expected }))
          replaced.push({ name: t.name, id: same.id });
      }

      let etag = draft.etag;
      let saved = false;
      if (!dryRun && (changes.length > 0 || added.length > 0 || replaced.length > 0)) {
        if (changes.length > 0) {
          etag = (await service.replaceDraft(id, draftId, c.req.valid('header')['if-match'], parsed.data, actorName(c)))
            .etag;
        } else if (!c.req.valid('header')['if-match']) {
          await service.replaceDraft(id, draftId, undefined, parsed.data, actorName(c)); // 428, as for any write
        }
        const by = actorName(c);
        for (const t of read.testCases ?? []) {
          const old = replaced.find((r) => r.name === t.name);
          if (old) await service.updateTestCase(id, old.id, t);
          else if (added.includes(t.name)) await service.addTestCase(id, t, by);
        }
        saved = true;
      }
      c.header('ETag', etag);
      return c.json(
        {
          dryRun,
          saved,
          changes,
          testCases: { added, replaced: replaced.map((r) => r.name) },
          etag,
        },
        200,
      );
    })
    .openapi(exportDmn, async (c) => {
      const { id, n } = c.req.valid('param');
      const document = (await service.version(id, n)).document;
      if (document.kind !== 'region') regionOnly(document);
      if (document.kind !== 'region') throw new Error('unreachable');
      return c.body(ruleSetToDmn(document), 200, {
        'Content-Type': 'application/xml; charset=utf-8',
        'Content-Disposition': `attachment; filename="${id}-v${n}.dmn"`,
      });
    });
}
