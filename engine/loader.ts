/**
 * The only module of `engine/` that touches the file system: reads the rule set files of a
 * `rules/` folder (`rules/<region>/<id>.v<N>.json`) and validates each against the schema.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuleSetRepository } from './compose.js';
import {
  RuleSetDocument,
  TestSuiteFile,
  type RuleSetDocument as RuleSetDocumentType,
  type TestSuiteFile as TestSuiteFileType,
} from './schema.js';
import { RuleSetFileError, issuesFromZod } from './errors.js';

export interface LoadedRuleSet {
  file: string;
  document: RuleSetDocumentType;
}

/** The name of a region's file of test cases, beside its rule sets: `rules/<region>/tests.json`. */
export const TEST_SUITE_FILE = 'tests.json';

/** The JSON files under `dir`: the rule sets, or (`tests`) the files of test cases. */
function jsonFiles(dir: string, tests = false): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return jsonFiles(path, tests);
      return name.endsWith('.json') && (name === TEST_SUITE_FILE) === tests ? [path] : [];
    });
}

function readJson(path: string): { file: string; raw: unknown } {
  const file = relative(process.cwd(), path);
  try {
    return { file, raw: JSON.parse(readFileSync(path, 'utf8')) };
  } catch (cause) {
    throw new RuleSetFileError(file, [
      { path: '$', message: `Geen geldige JSON: ${String(cause)}`, code: 'INVALID_JSON' },
    ]);
  }
}

/** Reads and validates every rule set file under `dir`; throws on the first invalid file. */
export function loadRuleSetFiles(dir: string): LoadedRuleSet[] {
  return jsonFiles(dir).map((path) => {
    const { file, raw } = readJson(path);
    const parsed = RuleSetDocument.safeParse(raw);
    if (!parsed.success) throw new RuleSetFileError(file, issuesFromZod(parsed.error));
    return { file, document: parsed.data };
  });
}

export interface LoadedTestSuite {
  file: string;
  suite: TestSuiteFileType;
}

/**
 * Reads and validates the test cases the regions ship (`rules/<region>/tests.json`); throws on the
 * first invalid file.
 */
export function loadTestSuites(dir: string): LoadedTestSuite[] {
  return jsonFiles(dir, true).map((path) => {
    const { file, raw } = readJson(path);
    const parsed = TestSuiteFile.safeParse(raw);
    if (!parsed.success) throw new RuleSetFileError(file, issuesFromZod(parsed.error));
    return { file, suite: parsed.data };
  });
}

/**
 * The repository's own `rules/` folder, wherever the process was started: beside engine/ from the
 * sources, two folders up from their compiled copy in dist/engine/ (`npm run build`).
 */
export const DEFAULT_RULES_DIR = pathFromModule(
  import.meta.url.endsWith('.js') ? '../../rules' : '../rules',
  import.meta.url,
);

/**
 * A path next to a module. Under a browser-like test environment (vitest with jsdom) module URLs
 * are http URLs rooted at the project, so those resolve from the working directory.
 */
export function pathFromModule(relativePath: string, moduleUrl: string): string {
  const url = new URL(relativePath, moduleUrl);
  return url.protocol === 'file:' ? fileURLToPath(url) : join(process.cwd(), decodeURIComponent(url.pathname));
}

/** Loads a `rules/` folder into a repository (validating every file and every overlay). */
export function loadRepository(dir: string = DEFAULT_RULES_DIR): RuleSetRepository {
  return new RuleSetRepository(loadRuleSetFiles(dir).map((f) => f.document));
}
