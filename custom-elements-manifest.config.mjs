/**
 * `npm run manifest` writes custom-elements.json (the package's `customElements` field) from the
 * element's JSDoc: attributes, properties, methods, events with detail types, slots, CSS parts
 * and CSS custom properties. Editors, Storybook and framework wrappers read it.
 */
export default {
  globs: ['src/element/mixpeek-uploader.ts', 'src/define.ts'],
  outdir: '.',
  litelement: true,
  dependencies: false,
  packagejson: false,
};
