/**
 * The packed package installed as users install it (after `npm run build`): `npm pack`, then
 * `npm install` of the tarball into a scratch Vite app and a scratch Node server, each in a
 * temporary folder. Installs prefer npm's local cache (`--prefer-offline`) and reach the
 * registry only for what it lacks.
 *
 * - The browser app gets the element and what it needs, none of the optional peers; Vite builds
 *   a page that imports `mixpeek-uploader/define` and holds the README's emulator tag, and that
 *   page uploads and confirms a file in Chromium; `mixpeek-emulator` there names the npm
 *   install command for its packages.
 * - The Node server installs the optional peers too, starts the emulator and the gateway from
 *   the package, and uploads and confirms a file through the gateway.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import puppeteer from 'puppeteer-core';
import { startEmulator } from '../../src/emulator/index.ts';
import { chromiumArgs, chromiumPath } from '../support/chromium.mjs';
import { assertOneLineFailure, root, runCli } from '../support/cli.ts';

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  name: string;
  version: string;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  devDependencies: Record<string, string>;
};
const optionalPeers = Object.keys(pkg.peerDependenciesMeta).filter((name) => pkg.peerDependenciesMeta[name]?.optional);
const scratch = mkdtempSync(join(tmpdir(), 'mixpeek-install-'));
let tarball = '';

/** `npm install` in `dir`, offline first; no install scripts run. */
async function npmInstall(dir: string, packages: string[]): Promise<void> {
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...packages], {
    cwd: dir,
    timeout: 240_000,
    maxBuffer: 16 * 1024 * 1024,
  });
}

before(async () => {
  assert.ok(existsSync(new URL('dist/mixpeek-uploader.js', root)), 'dist/ is missing: run `npm run build` first');
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
  tarball = join(scratch, (JSON.parse(stdout) as [{ filename: string }])[0].filename);
});
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('the packed package, installed', { timeout: 600_000 }, () => {
  it('into a Vite app: only what the element needs, and a page that imports the element builds', async () => {
    const app = join(scratch, 'vite-app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch-vite-app', private: true, type: 'module' }));
    await npmInstall(app, [tarball]);

    const installed = (name: string) => existsSync(join(app, 'node_modules', name, 'package.json'));
    assert.ok(installed(pkg.name));
    for (const needed of ['lit', '@uppy/core', '@uppy/aws-s3', 'spark-md5', 'idb-keyval'])
      assert.ok(installed(needed), `${needed} is installed`);
    assert.deepEqual(
      optionalPeers.filter(installed),
      [],
      'no optional peer (the emulator and gateway server packages) is installed into a browser app',
    );

    // The tag the README tells a reader to paste, pointed at this test's emulator.
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const tag = /<mixpeek-uploader api-url="http:\/\/127\.0\.0\.1:8787"[^>]*><\/mixpeek-uploader>/.exec(readme)?.[0];
    assert.ok(tag, "the README shows the emulator's tag");
    const emulator = await startEmulator();
    after(() => emulator.close());
    writeFileSync(
      join(app, 'index.html'),
      `<!doctype html>${tag.replace('http://127.0.0.1:8787', emulator.apiUrl)}<script type="module" src="./main.js"></script>\n`,
    );
    writeFileSync(
      join(app, 'main.js'),
      "import 'mixpeek-uploader/define';\nconsole.log(customElements.get('mixpeek-uploader') !== undefined);\n",
    );
    // Vite from this repository's devDependencies; the app's imports resolve from the app.
    await run(process.execPath, [join(root.pathname, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
      cwd: app,
      timeout: 240_000,
    });
    const assets = readdirSync(join(app, 'dist/assets')).filter((f) => f.endsWith('.js'));
    const bundled = assets.map((f) => readFileSync(join(app, 'dist/assets', f), 'utf8')).join('\n');
    assert.ok(/customElements\.define\([`"']mixpeek-uploader[`"']/.test(bundled), 'the built page defines <mixpeek-uploader>');
    assert.match(readFileSync(join(app, 'dist/index.html'), 'utf8'), /<script type="module" crossorigin src="\/assets\/[^"]+\.js">/);

    // The built page, served as files, uploads and confirms a file with that tag.
    const dist = join(app, 'dist');
    const server = createServer((req, res) => {
      const path = join(dist, new URL(req.url ?? '/', 'http://x').pathname.replace(/\/$/, '/index.html'));
      if (!path.startsWith(dist) || !existsSync(path)) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': path.endsWith('.js') ? 'text/javascript' : 'text/html' }).end(readFileSync(path));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const browser = await puppeteer.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
    try {
      const page = await browser.newPage();
      const { port } = server.address() as { port: number };
      await page.goto(`http://127.0.0.1:${port}/`);
      const summary = await page.evaluate(async () => {
        await customElements.whenDefined('mixpeek-uploader');
        const element = document.querySelector('mixpeek-uploader') as unknown as {
          addFiles(files: File[]): unknown[];
          upload(): Promise<{ confirmed: number; failed: number; files: { error?: { message: string } }[] }>;
        };
        element.addFiles([new File(['uploaded by a page built from the package'], 'hello.txt', { type: 'text/plain' })]);
        const result = await element.upload();
        return { confirmed: result.confirmed, failed: result.failed, errors: result.files.map((f) => f.error?.message).filter(Boolean) };
      });
      assert.deepEqual(summary, { confirmed: 1, failed: 0, errors: [] });
    } finally {
      await browser.close();
      server.close();
    }

    // The emulator's command is there, and names what it lacks.
    const bin = join(app, 'node_modules/.bin/mixpeek-emulator');
    const result = await runCli(bin, ['--port', '0', '--storage-port', '0'], { cwd: app, node: [] });
    assertOneLineFailure(result, 1, 'mixpeek-emulator: ', /is not installed: run npm install --save-dev /);
  });

  it('into a Node server with the optional peers: the emulator and the gateway upload and confirm a file', async () => {
    const server = join(scratch, 'node-server');
    mkdirSync(server);
    writeFileSync(join(server, 'package.json'), JSON.stringify({ name: 'scratch-node-server', private: true, type: 'module' }));
    // The peers at the versions this repository tests with (they are in npm's cache).
    const peers = Object.keys(pkg.peerDependencies).map((name) => `${name}@${pkg.devDependencies[name] ?? pkg.peerDependencies[name]}`);
    await npmInstall(server, [tarball, ...peers]);

    writeFileSync(
      join(server, 'server.js'),
      `
import { createHash } from 'node:crypto';
import { startEmulator } from 'mixpeek-uploader/emulator';
import { createGateway } from 'mixpeek-uploader/gateway';
import { serveGateway } from 'mixpeek-uploader/gateway/node';

const emulator = await startEmulator();
const gateway = await serveGateway(
  createGateway({ apiKey: emulator.apiKey, apiUrl: emulator.apiUrl, namespace: emulator.namespace, buckets: ['demo'], rateLimit: false }),
);
try {
  const json = { 'content-type': 'application/json' };
  const bytes = 'hello from a scratch server';
  const created = await (await fetch(gateway.url + '/v1/buckets/demo/uploads', {
    method: 'POST', headers: json,
    body: JSON.stringify({ filename: 'hello.txt', content_type: 'text/plain', file_size_bytes: bytes.length }),
  })).json();
  const put = await fetch(created.presigned_url, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: bytes });
  const etag = createHash('md5').update(bytes).digest('hex');
  const confirmed = await (await fetch(gateway.url + '/v1/buckets/demo/uploads/' + created.upload_id + '/confirm', {
    method: 'POST', headers: json, body: JSON.stringify({ etag, file_size_bytes: bytes.length }),
  })).json();
  console.log(JSON.stringify({ put: put.status, status: confirmed.status, etagMatches: confirmed.etag === etag }));
} finally {
  await gateway.close();
  await emulator.close();
}
`,
    );
    const { stdout } = await run(process.execPath, ['server.js'], {
      cwd: server,
      timeout: 60_000,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    assert.deepEqual(JSON.parse(stdout), { put: 200, status: 'COMPLETED', etagMatches: true });

    const help = await runCli(join(server, 'node_modules/.bin/mixpeek-emulator'), ['--help'], { cwd: server, node: [] });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: mixpeek-emulator/);
  });
});
