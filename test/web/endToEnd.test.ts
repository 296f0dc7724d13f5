import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { ROOT } from '../support/cli';
import { hasBrowser, launchBrowser, warnNoBrowser } from './browser';
import type { Reply } from '../../domain/conversation/reply';

/**
 * The web chat as `npm start` serves it after `npm run build` (dist/bot/main.js; the page's files
 * come from bot/web/static), on the real conversation core and a small seeded demo database.
 */
describe('web chat end to end (npm start, real core)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'waybill-web-'));
  let child: ChildProcess | undefined;
  let base = '';
  let stderr = '';
  const session = 'e2e-0b6f3c1e-5a7d';

  beforeAll(async () => {
    child = spawn(process.execPath, [path.join(ROOT, 'dist', 'bot', 'main.js')], {
      env: {
        ...process.env, PORT: '0', LOG_LEVEL: 'warn', WAYBILL_NLU: 'offline', WAYBILL_NOW: '2026-03-18T09:30:00Z',
        DATABASE_URL: `sqlite:${path.join(tmp, 'web.sqlite')}`, WAYBILL_DEMO_SHIPMENTS: '300',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    base = await new Promise<string>((resolve, reject) => {
      const guard = setTimeout(() => reject(new Error(`bot did not start:\n${stderr}`)), 90_000);
      child!.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /Web chat: (http:\/\/localhost:\d+)\/\n/.exec(stderr);
        if (m) {
          clearTimeout(guard);
          resolve(m[1]);
        }
      });
      child!.on('exit', (code) => {
        clearTimeout(guard);
        reject(new Error(`bot exited with ${code}:\n${stderr}`));
      });
    });
  }, 120_000);
  afterAll(() => {
    child?.kill('SIGTERM');
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const chat = async (body: object): Promise<{ status: number; replies: Reply[] }> => {
    const res = await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session, ...body }) });
    return { status: res.status, replies: ((await res.json()) as { replies: Reply[] }).replies };
  };

  it('prints the web chat address and serves the page next to /healthz', async () => {
    expect(stderr).toMatch(/Web chat: http:\/\/localhost:\d+\/\nHealth check: http:\/\/localhost:\d+\/healthz\n/);
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<title>Waybill · web chat<\/title>/);
    expect((await fetch(`${base}/static/chat.js`)).status).toBe(200);
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true, database: 'sqlite' });
  });

  it('answers as the local operator (admin), and acts once on a retried message id', async () => {
    const help = await chat({ messageId: 'e2e-help-0001', text: 'help' });
    expect(help.status).toBe(200);
    expect(help.replies[0].parts[0]).toEqual({ kind: 'heading', text: 'What I can do for you (role: admin)' });
    const again = await chat({ messageId: 'e2e-help-0001', text: 'help' });
    expect(again).toEqual({ status: 200, replies: [] });
  });

  (hasBrowser ? it : it.skip)('in the browser: a KPI answer draws its chart; an audit card\'s button disputes a finding', async () => {
    let browser: Browser | undefined;
    try {
      browser = await launchBrowser();
      const page = await browser.newPage();
      page.setDefaultTimeout(30_000); // a hang guard; every wait ends when its condition holds
      await page.goto(`${base}/`);
      await page.fill('#message', 'on-time rate last week');
      await page.press('#message', 'Enter');
      const chart = page.locator('.msg.bot .card figure.chart svg');
      await chart.waitFor();
      expect(await chart.locator('g.series').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-series')))).toEqual(['Shipments', 'On-time rate']);
      expect(await chart.locator('g.series rect').count()).toBe(7); // one bar a day
      expect(await chart.locator('g.axis text').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^\d+%$/)]));

      await page.click('#new-chat');
      await page.fill('#message', 'audit DHL invoices');
      await page.press('#message', 'Enter');
      const card = page.locator('.msg.bot .card').first();
      await card.locator('table').first().waitFor();
      expect(await card.locator('h3').first().textContent()).toBe('Freight audit with DHL');
      const dispute = card.locator('.actions button', { hasText: /^Dispute #/ }).first();
      const label = (await dispute.textContent()) ?? '';
      await dispute.click();
      await page.locator('.msg.bot .card').nth(1).waitFor();
      expect(await page.locator('.msg.bot .card').nth(1).textContent()).toMatch(/^Disputed: /);
      expect(await page.locator('.msg.user.from-button .bubble').textContent()).toBe(label);
      // The clicked finding's Dispute/Accept are done; the other findings' buttons stay usable.
      expect(await card.locator('.actions').first().locator('button:not([disabled])').count()).toBe(0);
      expect(await card.locator('.actions button:not([disabled])').count()).toBeGreaterThan(0);
    } finally {
      await browser?.close();
    }
  });
  if (!hasBrowser) warnNoBrowser('web chat end to end');
});
