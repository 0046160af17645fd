import { defineConfig, mergeConfig } from 'vite';
import base from './vite.config.ts';
import pkg from './package.json' with { type: 'json' };

/**
 * The package's module entries for bundlers: `dist/index.js` (classes, engine, types; no side
 * effects) and `dist/define.js` (registers `<mixpeek-uploader>`). Dependencies stay imports,
 * so an app's bundler shares and dedupes them; the hashing workers are inlined as in the
 * script-tag build (same worker settings, from vite.config.ts).
 */
const external = Object.keys(pkg.dependencies);

export default mergeConfig(
  base,
  defineConfig({
    build: {
      emptyOutDir: false,
      // `formats` comes from the base (['es']): mergeConfig concatenates arrays, and a second
      // 'es' would build everything twice.
      lib: { entry: { index: 'src/index.ts', define: 'src/define.ts' }, fileName: (_format, name) => `${name}.js` },
      minify: false,
      rolldownOptions: {
        external: (id: string) => external.some((dep) => id === dep || id.startsWith(`${dep}/`)),
        output: { codeSplitting: true, minify: false, chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  }),
);
