/**
 * The only module of `engine/` that touches the file system: reads the rule set files of a
 * `rules/` folder (`rules/<region>/<id>.v<N>.json`) and validates each against the schema.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuleSetRepository } from './compose.js';
import { RuleSetDocument, type RuleSetDocument as RuleSetDocumentType } from './schema.js';
import { RuleSetFileError, issuesFromZod } from './errors.js';

export interface LoadedRuleSet {
  file: string;
  document: RuleSetDocumentType;
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return jsonFiles(path);
      return name.endsWith('.json') ? [path] : [];
    });
}

/** Reads and validates every rule set file under `dir`; throws on the first invalid file. */
export function loadRuleSetFiles(dir: string): LoadedRuleSet[] {
  return jsonFiles(dir).map((path) => {
    const file = relative(process.cwd(), path);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (cause) {
      throw new RuleSetFileError(file, [
        { path: '$', message: `Geen geldige JSON: ${String(cause)}`, code: 'INVALID_JSON' },
      ]);
    }
    const parsed = RuleSetDocument.safeParse(raw);
    if (!parsed.success) throw new RuleSetFileError(file, issuesFromZod(parsed.error));
    return { file, document: parsed.data };
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
