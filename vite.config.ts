import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { cssLiteralPlugin } from './scripts/css-literal-plugin.ts';
import { workerCodePlugin } from './src/hash/worker-code-plugin.ts';

/**
 * `npm run build`: `dist/mixpeek-uploader.js`, the ES module that defines `<mixpeek-uploader>`
 * when loaded with `<script type="module">`, and the `dist/mixpeek-uploader-*.js` chunks it
 * loads after first paint. The demo uses Vite's dev
 * server with the same source (see scripts/demo.ts).
 */
export default defineConfig({
  build: {
    target: 'es2022',
    lib: {
      entry: 'src/define.ts',
      formats: ['es'],
      fileName: () => 'mixpeek-uploader.js',
    },
    minify: true,
    // No source maps: the inlined worker's map would be written beside a file that does not exist.
    sourcemap: false,
    // Vite keeps whitespace in ES library builds; these files are for script tags, so minify
    // them fully. What the first paint does not need (Uppy, the hashing workers, the virtual
    // list: src/engine/deferred.ts) goes to chunks beside the entry, loaded with `import()`
    // relative to it.
    rolldownOptions: {
      output: {
        minify: true,
        comments: false,
        chunkFileNames: 'mixpeek-uploader-[name]-[hash].js',
        codeSplitting: { groups: [{ name: 'shared', minShareCount: 2 }] },
      },
    },
  },
  // The workers ship inside the file as code (`worker-code:` imports) and start from `blob:`
  // URLs through a Trusted Types policy (src/hash/md5-worker-factory.inline.ts).
  plugins: [workerCodePlugin(), cssLiteralPlugin()],
  resolve: {
    alias: [
      {
        find: /^\.\/md5-worker-factory\.ts$/,
        replacement: fileURLToPath(new URL('./src/hash/md5-worker-factory.inline.ts', import.meta.url)),
      },
    ],
  },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
});
