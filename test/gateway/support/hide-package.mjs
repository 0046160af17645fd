// Loaded with `node --import`: makes the packages named in HIDE_PACKAGES (comma-separated)
// unresolvable, as if they were not installed, to test the one-line "install it" messages.
import { register } from 'node:module';

const hooks = `
const hidden = new Set((process.env.HIDE_PACKAGES ?? '').split(',').filter(Boolean));
export async function resolve(specifier, context, next) {
  if (hidden.has(specifier)) {
    const error = new Error("Cannot find package '" + specifier + "' imported from " + context.parentURL);
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
