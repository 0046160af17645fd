/**
 * Builds the framework examples in demo/examples/ (React 19, Vue 3, Svelte 5) with Vite into
 * dist-examples/<name>/, and copies the plain-HTML one to dist-examples/html/. Each built page
 * works from any path (`base: './'`), e.g. /dist-examples/react/index.html on the test server.
 * test/examples/examples.test.ts loads each page and uploads through it.
 *
 * The examples import `mixpeek-uploader/define` as an app would; here that is the package's
 * built entry, dist/define.js (the HTML one loads dist/mixpeek-uploader.js), so `npm run build`
 * comes first. (Vite does not resolve a package's own name from inside it, hence the alias.)
 *
 *   node scripts/build-examples.mjs            all of them
 *   node scripts/build-examples.mjs vue react  some
 */
import { existsSync } from 'node:fs';
import { cp, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import vue from '@vitejs/plugin-vue';
import { build } from 'vite';

const repo = fileURLToPath(new URL('..', import.meta.url));
const examples = `${repo}demo/examples`;
const out = `${repo}dist-examples`;

/** Per example: the Vite plugins it needs (React 19 needs none: Vite compiles TSX to `react/jsx-runtime`). */
const plugins = {
  react: () => [],
  vue: () => [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('mixpeek-') } } })],
  svelte: () => [svelte()],
};

/** `mixpeek-uploader/define` → the built entry, as if the package were installed. */
const alias = { 'mixpeek-uploader/define': `${repo}dist/define.js` };
for (const file of [...Object.values(alias), `${repo}dist/mixpeek-uploader.js`]) {
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
}

const names = process.argv.slice(2);
const unknown = names.filter((name) => !(name in plugins) && name !== 'html');
if (unknown.length > 0) throw new Error(`No example ${unknown.join(', ')}: html, ${Object.keys(plugins).join(', ')}`);
const wanted = (name) => names.length === 0 || names.includes(name);

for (const [name, pluginsFor] of Object.entries(plugins)) {
  if (!wanted(name)) continue;
  const started = performance.now();
  await build({
    configFile: false, // not the repository's vite.config.ts (that one builds the library)
    root: `${examples}/${name}`,
    base: './',
    logLevel: 'warn',
    plugins: pluginsFor(),
    resolve: { alias },
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: { outDir: `${out}/${name}`, emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
  });
  console.log(`dist-examples/${name}/ (${Math.round(performance.now() - started)} ms)`);
}

if (wanted('html')) {
  await rm(`${out}/html`, { recursive: true, force: true });
  await cp(`${examples}/html`, `${out}/html`, { recursive: true });
  console.log('dist-examples/html/ (copied; loads /dist/mixpeek-uploader.js)');
}
