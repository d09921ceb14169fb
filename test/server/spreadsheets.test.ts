/**
 * Spreadsheets both ways and DMN out: the IJsselland tariffs to .xlsx, one amount changed with
 * exceljs standing in for another program, read back into a draft; a round trip that changes
 * nothing; a problem per malformed cell; the DMN export read by dmn-moddle.
 */
import { DmnModdle, type ModdleElement } from 'dmn-moddle';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { openServer, serverPool } from './harness.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
type Server = Awaited<ReturnType<typeof openServer>>;
const pool = serverPool();
const server = () => pool();

async function draftOf(s: Server, id: string, version: number) {
  const document = await (await s.request('GET', `/api/rulesets/${id}/versions/${version}`)).json();
  const res = await s.request('POST', `/api/rulesets/${id}/drafts`, document);
  expect(res.status).toBe(201);
  const { draftId } = await res.json();
  return { draftId: draftId as string, etag: res.headers.get('etag')!, document };
}

const upload = (
  s: Server,
  path: string,
  body: Uint8Array<ArrayBuffer>,
  type: string,
  headers: Record<string, string> = {},
) => s.app.request(path, { method: 'POST', headers: { 'content-type': type, ...headers }, body });

async function workbookOf(res: Response) {
  expect(res.status).toBe(200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await res.arrayBuffer());
  return workbook;
}

describe('spreadsheets', () => {
  it('exports the IJsselland tariffs, and an amount changed in the file changes exactly that tariff', async () => {
    const s = await server();
    const { draftId, etag, document } = await draftOf(s, 'ijsselland', 2);
    const workbook = await workbookOf(await s.request('GET', '/api/rulesets/ijsselland/versions/2/spreadsheet'));
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Tarieven', 'Parameters', 'Testgevallen']);
    const sheet = workbook.getWorksheet('Tarieven')!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Profiel', 'Intensiteit', 'Bedrag (€)', 'Bron']);
    const row = sheet.getRow(7);
    const entry = document.tariffs.middleSegment[5];
    expect([row.getCell(1).value, row.getCell(2).value, row.getCell(3).value]).toEqual([
      entry.profile,
      entry.intensity,
      entry.priceCents / 100,
    ]);
    row.getCell(3).value = 1234.56;
    const file = new Uint8Array(await workbook.xlsx.writeBuffer()) as Uint8Array<ArrayBuffer>;

    const path = `/api/rulesets/ijsselland/drafts/${draftId}/spreadsheet`;
    const dry = await (await upload(s, `${path}?dryRun=true`, file, XLSX)).json();
    expect(dry).toMatchObject({ dryRun: true, saved: false });
    expect(dry.changes).toHaveLength(1);
    expect(dry.changes[0]).toMatchObject({ kind: 'changed', before: entry.priceCents, after: 123456 });
    expect(dry.changes[0].text).toMatch(/1\.234,56/);
    expect(dry.changes[0].group.kind).toBe('tariff');

    expect((await upload(s, path, file, XLSX)).status).toBe(428);
    const res = await upload(s, path, file, XLSX, { 'if-match': etag });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ saved: true });
    const saved = await (await s.request('GET', `/api/rulesets/ijsselland/drafts/${draftId}`)).json();
    const expected = structuredClone(document);
    expected.tariffs.middleSegment[5].priceCents = 123456;
    expect(saved.document).toEqual(expected);
  });

  it.each([
    ['ijsselland', 2],
    ['midden-ijssel-oost-veluwe', 2],
  ] as const)('round-trips %s v%i through .xlsx and every .csv sheet without a change', async (id, version) => {
    const s = await server();
    const created = await s.request('POST', `/api/rulesets/${id}/tests`, {
      name: 'Voorbeeld',
      case: {
        type: 'allocation',
        municipality: id === 'ijsselland' ? 'zwolle' : 'apeldoorn',
        referenceDate: '2026-03-02',
        youth: { birthDate: '2017-05-12' },
        referral: { referrer: 'gemeentelijke-toegang' },
        request: { service: 'jeugdbescherming', startDate: '2026-03-02' },
      },
      expected: { outcome: 'rejected', codes: ['OUT_OF_SCOPE'] },
    });
    expect(created.status).toBe(201);
    const { draftId } = await draftOf(s, id, version);
    const xlsx = new Uint8Array(
      await (await s.request('GET', `/api/rulesets/${id}/drafts/${draftId}/spreadsheet?format=xlsx`)).arrayBuffer(),
    );
    const path = `/api/rulesets/${id}/drafts/${draftId}/spreadsheet?dryRun=true`;
    const answer = await (await upload(s, path, xlsx, XLSX)).json();
    expect(answer).toMatchObject({ changes: [], testCases: { added: [], replaced: [] } });
    for (const sheet of ['tarieven', 'parameters', 'testgevallen']) {
      const res = await s.request(
        'GET',
        `/api/rulesets/${id}/versions/${version}/spreadsheet?format=csv&sheet=${sheet}`,
      );
      expect(res.headers.get('content-type')).toContain('text/csv');
      const csv = new Uint8Array(await res.arrayBuffer());
      const back = await upload(s, `${path}&sheet=${sheet}`, csv, 'text/csv');
      expect(back.status).toBe(200);
      expect(await back.json()).toMatchObject({ changes: [], testCases: { added: [], replaced: [] } });
    }
  });

  it('refuses a malformed cell with a problem naming sheet and cell', async () => {
    const s = await server();
    const { draftId } = await draftOf(s, 'ijsselland', 2);
    const workbook = await workbookOf(await s.request('GET', `/api/rulesets/ijsselland/drafts/${draftId}/spreadsheet`));
    workbook.getWorksheet('Tarieven')!.getCell('C7').value = 'drie';
    workbook.getWorksheet('Parameters')!.getCell('F2').value = 'misschien';
    const file = new Uint8Array(await workbook.xlsx.writeBuffer()) as Uint8Array<ArrayBuffer>;
    const res = await upload(s, `/api/rulesets/ijsselland/drafts/${draftId}/spreadsheet?dryRun=true`, file, XLSX);
    expect(res.status).toBe(422);
    const problem = await res.json();
    expect(problem.code).toBe('INVALID_SPREADSHEET');
    expect(problem.issues.map((i: { path: string }) => i.path)).toEqual(['Tarieven!C7', 'Parameters!F2']);
    expect(problem.detail).toContain('Tarieven!C7: "drie" is geen bedrag');
  });
});

describe('DMN export', () => {
  it.each(['ijsselland', 'midden-ijssel-oost-veluwe'])(
    'reads %s with dmn-moddle without warnings, every rule in its tables',
    async (id) => {
      const s = await server();
      const document = await (await s.request('GET', `/api/rulesets/${id}/versions/2`)).json();
      const res = await s.request('GET', `/api/rulesets/${id}/versions/2/dmn`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/xml');
      const xml = await res.text();
      expect(xml).toContain('xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"');
      const { rootElement, warnings } = await new DmnModdle().fromXML(xml, 'dmn:Definitions');
      expect(warnings).toEqual([]);
      const decisions = rootElement.drgElement as ModdleElement[];
      const tables = decisions.map((d) => d.decisionLogic as ModdleElement);
      const outputs = tables.flatMap((t) =>
        (t.rule as ModdleElement[]).flatMap((r) => (r.outputEntry as ModdleElement[]).map((e) => e.text)),
      );
      for (const rule of document.rules as { id: string }[]) expect(outputs).toContain(JSON.stringify(rule.id));
      const tariffRows = (tables.at(-1)!.rule as ModdleElement[]).length;
      const tariffs = document.tariffs.model === 'output' ? document.tariffs.middleSegment : document.tariffs.products;
      expect(tariffRows).toBe(tariffs.length);
    },
  );
});
