/**
 * README.md and docs/*.md hold together: every relative link and image resolves to a file of
 * this repository (and its `#anchor` to a heading there), and every command in a shell code
 * block (```sh) that runs an npm script or one of the package's commands names one that exists.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pages = [
  'README.md',
  'CHANGELOG.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  bin: Record<string, string>;
};

/** The page's text outside fenced code blocks and inline code, where links are links. */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** The anchors GitHub gives a page's headings: lowercase, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const found = new Set<string>();
  for (const [, heading] of text.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const slug = heading!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .trim()
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    found.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return found;
}

/** The targets of `[text](target)` and `![alt](target)` links, external ones left out. */
function links(text: string): string[] {
  return [...prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

/** The lines of the page's ```sh / ```bash / ```shell blocks. */
function commands(text: string): string[] {
  return [...text.matchAll(/^```(?:sh|bash|shell|console)\n([\s\S]*?)^```/gm)]
    .flatMap((m) => m[1]!.split('\n'))
    .filter((l) => l.trim() !== '');
}

describe('documentation', () => {
  it('has a README under about 300 lines and the docs pages it links', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    assert.ok(readme.split('\n').length <= 300, `README.md has ${readme.split('\n').length} lines`);
    for (const page of pages.filter((p) => p.startsWith('docs/'))) assert.ok(links(readme).includes(page), `README links ${page}`);
  });

  for (const page of pages) {
    it(`${page}: every relative link and #anchor resolves`, () => {
      const text = readFileSync(join(root, page), 'utf8');
      const broken: string[] = [];
      for (const link of links(text)) {
        const [path, anchor] = link.split('#') as [string, string | undefined];
        const target = path === '' ? join(root, page) : join(root, dirname(page), decodeURI(path));
        if (!relative(root, target) || relative(root, target).startsWith('..') || !existsSync(target)) {
          broken.push(`${link} (no such file)`);
          continue;
        }
        if (anchor !== undefined) {
          if (!statSync(target).isFile() || !target.endsWith('.md')) broken.push(`${link} (an anchor into a file that is not Markdown)`);
          else if (!anchors(readFileSync(target, 'utf8')).has(anchor)) broken.push(`${link} (no heading for #${anchor})`);
        }
      }
      assert.deepEqual(broken, []);
    });

    it(`${page}: every npm script and command in a shell block exists`, () => {
      const missing: string[] = [];
      for (const line of commands(readFileSync(join(root, page), 'utf8'))) {
        for (const [, script] of line.matchAll(/\bnpm run(?:-script)? +([\w:.-]+)/g))
          if (!pkg.scripts[script!]) missing.push(`npm run ${script}`);
        for (const [, script] of line.matchAll(/\bnpm (test|start|stop|restart)\b/g))
          if (!pkg.scripts[script!]) missing.push(`npm ${script}`);
        for (const [, bin] of line.matchAll(/\bnpx +(mixpeek-[\w-]+)/g)) if (!pkg.bin[bin!]) missing.push(`npx ${bin}`);
      }
      assert.deepEqual(missing, []);
    });
  }

  it('knows a broken link and a missing script when it sees one', () => {
    assert.deepEqual(links('[a](docs/x.md#y) [b](https://example.com) `[c](no.md)`'), ['docs/x.md#y']);
    assert.ok(anchors('## A minimal gateway\n## Strict `CSP`: why?\n## Strict CSP: why').has('strict-csp-why-1'));
    assert.deepEqual(commands('```sh\nnpm run nope\n```\n```js\nnpm run js\n```'), ['npm run nope']);
  });
});
