// Builds the web console (web/ → web/dist) with Vite. `--if-stale` builds only when a source is newer than the
// build (or there is none): `npm ci` (prepare) and `npm start` (prestart) both call it, so a fresh clone serves
// the console with no separate build step, and an unchanged tree starts at once.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = join(root, 'web');
const built = join(web, 'dist', 'index.html');

const newest = (path) => {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((f) => newest(join(path, f))));
};

const sources = [join(web, 'src'), join(web, 'index.html'), join(web, 'vite.config.ts'), join(root, 'package-lock.json')];
const stale = !existsSync(built) || Math.max(...sources.filter(existsSync).map(newest)) > statSync(built).mtimeMs;

if (process.argv.includes('--if-stale') && !stale) process.exit(0);

let vite;
try {
  vite = await import('vite');
} catch {
  // A production install without devDependencies: the API runs; `/` says how to build the console.
  console.error('web console: vite is not installed (devDependencies omitted?); the console is not built');
  process.exit(0);
}
// Always the production build (jest runs this with NODE_ENV=test, which would bundle React's development build).
process.env.NODE_ENV = 'production';
const started = Date.now();
await vite.build({ configFile: join(web, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
console.error(`web console built into web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
