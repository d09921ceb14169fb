// `npm start`: the server from its TypeScript sources through tsx when tsx is installed (a
// development install: `npm install && npm start`), otherwise the JavaScript that `npm run build`
// compiled into dist/ (a production install: `npm ci && npm run build && npm prune --omit=dev`).
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

let tsx;
try {
  tsx = await import('tsx/esm/api');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
}

if (tsx) {
  tsx.register();
  await import('./main.ts');
} else {
  const main = new URL('../dist/server/main.js', import.meta.url);
  if (!existsSync(main)) {
    process.stderr.write(
      'dist/server/main.js ontbreekt en tsx is niet geïnstalleerd: bouw eerst met `npm ci && npm run build && npm prune --omit=dev` (zie README, "Running in production").\n',
    );
    process.exit(1);
  }
  process.setSourceMapsEnabled(true);
  await import(main.href);
}
