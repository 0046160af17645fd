import { en, type UploaderStrings } from '../strings.ts';
import { de } from './de.ts';
import { es } from './es.ts';
import { fr } from './fr.ts';
import { ja } from './ja.ts';

/** The built-in string tables, keyed by language subtag. */
export const builtInStrings: Record<string, UploaderStrings> = { en, de, fr, es, ja };
