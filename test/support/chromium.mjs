/**
 * Where the system Chromium is and how it must start here. No test tool may download a
 * browser on these machines: `.ci/run` installs Debian's `chromium` package instead.
 * `CHROME_PATH` overrides the path. The networking flags stop Chromium from calling hosts
 * that this network refuses; `--no-sandbox` is needed when running as root (CI does).
 */
import { existsSync } from 'node:fs';

export const chromiumPath =
  process.env.CHROME_PATH ??
  ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));

export const chromiumArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-features=Translate,OptimizationHints,MediaRouter',
];
