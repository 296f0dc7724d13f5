import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * The browser tests drive the system's Chromium through playwright-core (which never downloads a
 * browser). Without one they are skipped with a line saying what to install, not failed: the rest
 * of the suite still means something on a machine without a browser. CI installs it (.ci/run).
 */
export const CHROMIUM = process.env.WAYBILL_CHROMIUM || '/usr/bin/chromium';
export const hasBrowser = fs.existsSync(CHROMIUM);

/** `describe` when a browser is there, else `describe.skip` plus a warning naming the fix. */
export function describeInBrowser(name: string, fn: () => void): void {
  if (hasBrowser) return describe(name, fn);
  warnNoBrowser(name);
  describe.skip(name, fn);
}

/** Straight to stderr: Jest drops the console output of a suite whose tests are all skipped. */
export function warnNoBrowser(what: string): void {
  process.stderr.write(`\n[waybill] browser tests SKIPPED (${what}): no Chromium at ${CHROMIUM}. Install it with: apt-get install -y chromium\n`);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // Headless, offline and quiet: no sandbox (containers run as root), no GPU, no calls home.
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    timeout: 60_000,
  });
}
