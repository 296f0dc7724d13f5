import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeInBrowser, launchBrowser } from './browser';
import { createFakeCore, type FakeCore } from './fakeCore';
import { startWebChat, type TestServer } from './server';

// The browser globals used inside page.evaluate callbacks, which run in Chromium: the project's
// tsconfig has no DOM library (it is Node code), and these few typings keep the callbacks checked.
declare const document: {
  activeElement: { id: string } | null;
  documentElement: { scrollWidth: number; clientWidth: number };
  querySelector(selector: string): { getBoundingClientRect(): { width: number } } | null;
};
declare const sessionStorage: { getItem(key: string): string | null };
declare const window: { __xss?: number };
declare function getComputedStyle(element: unknown): { textAlign: string };

/** The page in a real browser (Debian's Chromium), on a fake conversation core. */
describeInBrowser('web chat page', () => {
  let browser: Browser;
  let core: FakeCore;
  let srv: TestServer;
  let context: BrowserContext;
  let page: Page;
  /** Console errors and uncaught exceptions (a CSP violation shows up here too). */
  let problems: string[];

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  async function open(viewport = { width: 1100, height: 900 }): Promise<Page> {
    context = await browser.newContext({ viewport });
    const p = await context.newPage();
    // A hang guard, not a timing assertion: every wait below ends as soon as its condition holds.
    p.setDefaultTimeout(20_000);
    p.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    p.on('pageerror', (e) => problems.push(e.message));
    await p.goto(`${srv.url}/`);
    return p;
  }

  beforeEach(async () => {
    problems = [];
    core = createFakeCore();
    srv = await startWebChat(core);
    page = await open();
  });
  afterEach(async () => {
    await context?.close();
    await srv?.close();
  });

  /** Types a message, sends it with Enter and waits for the request to be answered. */
  async function say(text: string): Promise<void> {
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
    await page.fill('#message', text);
    await page.press('#message', 'Enter');
    await answered;
    await page.waitForSelector('#typing', { state: 'hidden' });
  }
  const texts = (selector: string) => page.$$eval(selector, (els) => els.map((e) => e.textContent ?? ''));
  const lastCard = () => page.locator('.msg.bot .card').last();

  it('loads: labelled composer, a live transcript, the welcome suggestions, no errors', async () => {
    expect(await page.title()).toBe('Waybill · web chat');
    expect(await page.getAttribute('#transcript', 'aria-live')).toBe('polite');
    expect(await page.getAttribute('#transcript', 'role')).toBe('log');
    expect(await page.textContent('label[for="message"]')).toBe('Message to Waybill');
    expect(await page.isVisible('#welcome')).toBe(true);
    expect(await page.isHidden('#typing')).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('message');
    expect(problems).toEqual([]);
  });

  it('sends a message with Enter: the user bubble, then the bot reply, in the page\'s session', async () => {
    await say('where is order 10042?');
    expect(await texts('.msg.user .bubble')).toEqual(['where is order 10042?']);
    expect(await texts('.msg.bot .card')).toEqual(['Echo: where is order 10042?']);
    expect(await page.isHidden('#welcome')).toBe(true);
    expect(await page.inputValue('#message')).toBe('');
    const session = await page.evaluate(() => sessionStorage.getItem('waybill.session'));
    expect(core.received).toHaveLength(1);
    expect(core.received[0]).toMatchObject({
      speaker: { platform: 'web', id: 'operator' },
      conversation: { platform: 'web', id: session },
      text: 'where is order 10042?',
      eventKey: expect.stringMatching(new RegExp(`^web:${session}:[0-9a-f-]{36}$`)),
    });
    await say('two');
    expect(await texts('.msg.bot .card')).toEqual(['Echo: where is order 10042?', 'First answer.', 'Second answer.']);
    expect(problems).toEqual([]);
  });

  it('shows "typing…" while the bot works on an answer', async () => {
    const release = core.pause();
    await page.fill('#message', 'slow question');
    await page.press('#message', 'Enter');
    await page.waitForSelector('#typing', { state: 'visible' });
    expect(await page.textContent('#typing')).toMatch(/Waybill is typing…/);
    expect(await page.$$('.msg.bot')).toHaveLength(0);
    release();
    await page.waitForSelector('.msg.bot');
    await page.waitForSelector('#typing', { state: 'hidden' });
  });

  it('renders a card: heading, fields grid, right-aligned table columns, list and an SVG chart with its series', async () => {
    await say('card');
    const card = lastCard();
    expect(await card.locator('h3').textContent()).toBe('On-time delivery, last 4 weeks');
    expect(await card.locator('dl.fields dt').allTextContents()).toEqual(['Carrier', 'Shipments']);
    expect(await card.locator('dl.fields dd').allTextContents()).toEqual(['DHL', '1,204']);
    expect(await card.locator('table caption').textContent()).toBe('By week');
    expect(await card.locator('thead th').allTextContents()).toEqual(['Week', 'Shipments', 'On time']);
    expect(await card.locator('tbody tr').count()).toBe(4);
    const align = await card.locator('tbody tr').first().locator('td').evaluateAll((tds) => tds.map((td) => getComputedStyle(td).textAlign));
    expect(align).toEqual(['left', 'right', 'right']);
    expect(await card.locator('ul:not(.legend) li').allTextContents()).toEqual(['W41 was hit by the port strike', 'W42 is the best week this quarter']);

    const chart = card.locator('figure.chart');
    expect(await chart.locator('figcaption').textContent()).toBe('On-time rate and volume');
    const svg = chart.locator('svg');
    expect(await svg.getAttribute('role')).toBe('img');
    // Bars are drawn first so the line stays visible over them.
    expect(await svg.locator('g.series').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-series')))).toEqual(['Shipments', 'On time']);
    expect(await svg.locator('g.series').nth(0).locator('rect').count()).toBe(4); // the bars
    expect(await svg.locator('g.series').nth(1).locator('path').count()).toBe(1); // the line
    expect(await svg.locator('g.series').nth(1).locator('circle').count()).toBe(3); // the null point is a gap
    const axis = await svg.locator('g.axis text').allTextContents();
    expect(axis).toEqual(expect.arrayContaining(['W40', 'W43', '0', '400', '90%']));
    expect(await svg.locator('g.series rect title').first().textContent()).toBe('W40 · Shipments: 301');
    expect(await svg.locator('g.series circle title').first().textContent()).toBe('W40 · On time: 94.2%');
    expect(await chart.locator('.legend li').allTextContents()).toEqual(['On time (left axis)', 'Shipments (right axis)']);
    expect(problems).toEqual([]);
  });

  it('sends a button\'s action when clicked and disables the card\'s buttons', async () => {
    await say('card');
    const buttons = page.locator('.msg.bot .card').first().locator('.actions button');
    expect(await buttons.allTextContents()).toEqual(['Email this report', 'Cancel']);
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
    await buttons.first().click();
    await answered;
    await page.locator('.msg.bot .card', { hasText: 'Done: confirm tok-1.' }).waitFor();
    expect(await buttons.evaluateAll((bs) => bs.map((b) => (b as unknown as { disabled: boolean }).disabled))).toEqual([true, true]);
    expect(await page.locator('.msg.user.from-button .bubble').textContent()).toBe('Email this report');
    expect(core.received.at(-1)).toMatchObject({ action: { id: 'confirm', value: 'tok-1' } });
    expect(core.received.at(-1)?.text).toBeUndefined();
    // A disabled card cannot send again.
    await buttons.nth(1).click({ force: true });
    expect(core.received.filter((i) => i.action)).toHaveLength(1);
  });

  it('a click answered with an error (the database was away) gives the buttons back, and pressing again works', async () => {
    await say('flaky card');
    const buttons = page.locator('.msg.bot .card', { hasText: 'Create the order?' }).locator('.actions button');
    const enabled = () => buttons.evaluateAll((bs) => bs.map((b) => !(b as unknown as { disabled: boolean }).disabled));
    let answered = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
    await buttons.first().click();
    await answered;
    await page.locator('.msg.bot .card', { hasText: 'The database is unavailable' }).waitFor();
    expect(await enabled()).toEqual([true, true]);
    answered = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
    await buttons.first().click();
    await answered;
    await page.locator('.msg.bot .card', { hasText: 'Done: confirm flaky.' }).waitFor();
    expect(await enabled()).toEqual([false, false]);
    expect(core.received.filter((i) => i.action)).toHaveLength(2);
    expect(problems).toEqual([]);
  });

  it('shows markup as text, from the person and from the bot: no XSS', async () => {
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs += 1;
      void d.dismiss();
    });
    const evil = '<img src=x onerror=alert(1)>';
    await say(evil);
    expect(await texts('.msg.user .bubble')).toEqual([evil]);
    expect(await texts('.msg.bot .card')).toEqual([`Echo: ${evil}`]);
    await say('xss');
    const shown = await lastCard().innerText();
    for (const where of ['Heading', 'Text', 'Label', 'Value', 'Caption', 'Col', 'Cell', 'Item', 'Chart', 'S', 'Button']) {
      expect(shown + (await lastCard().locator('svg').textContent())).toContain(`${where} <img src=x onerror="window.__xss=1">`);
    }
    expect(await page.locator('#transcript img, #transcript script, #transcript iframe').count()).toBe(0);
    expect(await page.evaluate(() => window.__xss)).toBeUndefined();
    expect(dialogs).toBe(0);
  });

  it('shows the server\'s polite apology when the core fails', async () => {
    await say('boom');
    const card = lastCard();
    expect(await card.getAttribute('class')).toMatch(/tone-error/);
    expect(await card.textContent()).toMatch(/^Sorry, something went wrong on my side/);
    await say('and now?');
    expect(await lastCard().textContent()).toBe('Echo: and now?');
  });

  it('says politely when the server is down, and "Try again" delivers the same message once it is back', async () => {
    const port = srv.port;
    await srv.close();
    await page.fill('#message', 'are you there?');
    await page.press('#message', 'Enter');
    const notice = page.locator('.notice[role="alert"]');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/Waybill could not be reached\. Check that it is still running \(npm start\), then try again\./);
    expect(await page.isHidden('#typing')).toBe(true);

    srv = await startWebChat(core, { port });
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
    await notice.getByRole('button', { name: 'Try again' }).click();
    await answered;
    await page.locator('.msg.bot .card', { hasText: 'Echo: are you there?' }).waitFor();
    expect(await page.locator('.notice').count()).toBe(0);
    expect(core.received.map((i) => i.text)).toEqual(['are you there?']);
  });

  it('fits a phone: no sideways scrolling, the chart drawn at the phone\'s width', async () => {
    await context.close();
    page = await open({ width: 390, height: 844 });
    await say('card');
    const sizes = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
      svg: document.querySelector('figure.chart svg')!.getBoundingClientRect().width,
    }));
    expect(sizes.scroll).toBeLessThanOrEqual(sizes.client);
    expect(sizes.svg).toBeLessThanOrEqual(390);
    expect(await page.isVisible('#send')).toBe(true);
  });

  it('keeps the session over a reload; "New conversation" starts a new one', async () => {
    await say('first');
    const session = await page.evaluate(() => sessionStorage.getItem('waybill.session'));
    await page.reload();
    await say('second');
    expect(core.received.map((i) => i.conversation.id)).toEqual([session, session]);
    await page.click('#new-chat');
    expect(await page.locator('#transcript .msg').count()).toBe(0);
    expect(await page.isVisible('#welcome')).toBe(true);
    await page.getByRole('button', { name: 'help' }).click();
    await page.locator('.msg.bot .card', { hasText: 'Echo: help' }).waitFor();
    const fresh = core.received.at(-1)!.conversation.id;
    expect(fresh).not.toBe(session);
    expect(await page.evaluate(() => sessionStorage.getItem('waybill.session'))).toBe(fresh);
  });
});
