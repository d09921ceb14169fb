/**
 * The interactive API reference at /api/docs: Swagger UI from the swagger-ui-dist package,
 * served by this server (nothing from a CDN), pointed at /api/openapi.json.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import { ProblemError } from '../problems.js';

const DIST = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** Started from a file, not inline, so the page works under a CSP without 'unsafe-inline' scripts. */
const INIT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true });
});
`;

const ASSETS: Record<string, { file?: string; text?: string; type: string }> = {
  'swagger-ui.css': { file: 'swagger-ui.css', type: 'text/css; charset=utf-8' },
  'swagger-ui-bundle.js': { file: 'swagger-ui-bundle.js', type: 'text/javascript; charset=utf-8' },
  'init.js': { text: INIT, type: 'text/javascript; charset=utf-8' },
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Jeugdzorg-regels API</title>
<link rel="icon" href="/favicon.svg">
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/assets/init.js"></script>
</body>
</html>
`;

/** Swagger UI sets styles inline; everything else comes from this origin. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'";

/** Read once, on first request: the bundle is large and most servers never show the page. */
const loaded = new Map<string, string>();
function asset(name: string): string | undefined {
  // own properties only: `__proto__` or `toString` name no asset
  const spec = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!spec) return undefined;
  let text = loaded.get(name);
  if (text === undefined) {
    text = spec.text ?? readFileSync(join(DIST, spec.file!), 'utf8');
    loaded.set(name, text);
  }
  return text;
}

/** The page and its assets, under /api/docs. */
export function docsRoutes() {
  return new Hono()
    .get('/', (c) => c.html(PAGE, 200, { 'Content-Security-Policy': CSP }))
    .get('/assets/:name', (c) => {
      const name = c.req.param('name');
      const text = asset(name);
      if (text === undefined) throw new ProblemError(404, 'NOT_FOUND', `${name} bestaat niet.`);
      return c.body(text, 200, { 'Content-Type': ASSETS[name]!.type, 'Cache-Control': 'public, max-age=86400' });
    });
}
