/**
 * The README's reference tables cannot drift from the element: they are checked against
 * custom-elements.json, which `npm run build` generates from the element's JSDoc.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

interface Named {
  name: string;
}
interface Member extends Named {
  kind: 'field' | 'method';
  privacy?: string;
  static?: boolean;
}
interface Declaration {
  tagName?: string;
  attributes: (Named & { fieldName?: string })[];
  members: Member[];
  events: (Named & { type?: { text: string } })[];
  slots: Named[];
  cssParts: Named[];
  cssProperties: Named[];
}

const manifestUrl = new URL('../../custom-elements.json', import.meta.url);
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function element(): Declaration {
  assert.ok(existsSync(manifestUrl), 'custom-elements.json is missing: run `npm run build` first');
  const manifest = JSON.parse(readFileSync(manifestUrl, 'utf8')) as { modules: { declarations?: Declaration[] }[] };
  const found = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'mixpeek-uploader');
  assert.ok(found, 'the manifest declares <mixpeek-uploader>');
  return found;
}

/** The rows of the README table under `heading`, as arrays of cells. */
function table(heading: string): string[][] {
  const start = readme.indexOf(`\n${heading}\n`);
  assert.notEqual(start, -1, `README has a "${heading}" section`);
  const rows: string[][] = [];
  for (const line of readme.slice(start).split('\n').slice(2)) {
    if (line.startsWith('#')) break;
    if (!line.startsWith('|') || /^\|[-| ]+\|$/.test(line)) continue;
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
  }
  return rows.slice(1); // the header
}

/** `name` out of a cell like `` `name` `` or `` `name(args): T` ``. */
const code = (cell: string) => /^`([^`(:]+)/.exec(cell)?.[1]?.trim();
const sorted = (names: (string | undefined)[]) => names.filter((n): n is string => !!n && n !== '–').sort();

describe('README reference matches custom-elements.json', () => {
  const el = element();
  const publicMembers = el.members.filter((m) => m.privacy !== 'private' && m.privacy !== 'protected' && !m.static);

  it('attributes and properties', () => {
    const rows = table('### Attributes and properties');
    assert.deepEqual(sorted(rows.map((r) => code(r[0]!))), sorted(el.attributes.map((a) => a.name)));
    assert.deepEqual(sorted(rows.map((r) => code(r[1]!))), sorted(publicMembers.filter((m) => m.kind === 'field').map((m) => m.name)));
  });

  it('methods', () => {
    const rows = table('### Methods');
    assert.deepEqual(sorted(rows.map((r) => code(r[0]!))), sorted(publicMembers.filter((m) => m.kind === 'method').map((m) => m.name)));
  });

  it('events, each with a typed detail', () => {
    const rows = table('### Events');
    assert.deepEqual(sorted(rows.map((r) => code(r[0]!))), sorted(el.events.map((e) => e.name)));
    for (const event of el.events) assert.match(event.type?.text ?? '', /^CustomEvent<\w+>$/, event.name);
  });

  it('CSS custom properties, parts and slots', () => {
    assert.deepEqual(sorted(table('### Theming').map((r) => code(r[0]!))), sorted(el.cssProperties.map((p) => p.name)));
    const listed = (label: string) =>
      sorted([...(new RegExp(`${label}: ([^.]+)\\.`).exec(readme)?.[1] ?? '').matchAll(/`([\w-]+)`/g)].map((m) => m[1]));
    assert.deepEqual(listed('Parts'), sorted(el.cssParts.map((p) => p.name)));
    assert.deepEqual(listed('Slots'), sorted(el.slots.map((s) => s.name)));
  });
});
