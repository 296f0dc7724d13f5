import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventEnvelope, FAKE_BOT, postSigned, startFakeSlack, type FakeSlack } from '../support/fakeSlack';
import { SIGNING_SECRET, startBot, type BotProcess } from '../slack/botProcess';

/**
 * A full run of `npm start` with every secret set and debug logging: the tokens, passwords and keys
 * must not appear anywhere in what the process writes, nor in what it posts.
 */
describe('secrets never reach logs or replies', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'waybill-secrets-'));
  const SECRETS = {
    SLACK_BOT_TOKEN: 'xoxb-1111-secret-bot-token-zq7',
    MICROSOFT_APP_PASSWORD: 'ms-app-password-never-logged-4k9',
    OPENAI_API_KEY: 'sk-test-openai-key-never-logged-88x',
  };
  let fake: FakeSlack;
  let bot: BotProcess;

  beforeAll(async () => {
    fake = await startFakeSlack();
    bot = await startBot({
      DATABASE_URL: `sqlite:${path.join(tmp, 's.sqlite')}`,
      SLACK_API_URL: fake.apiUrl,
      LOG_LEVEL: 'debug',
      ...SECRETS,
      MICROSOFT_APP_ID: '11111111-2222-3333-4444-555555555555',
      // A model endpoint that refuses connections: every low-confidence message logs a fallback warning.
      WAYBILL_NLU: 'hybrid',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
    });
  }, 180_000);
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('a run with Slack, Teams, the web chat and a failing model logs and posts no secret', async () => {
    const texts = ['where is order 10042?', 'hmm what about that thing', 'on-time rate last week'];
    for (const [i, text] of texts.entries()) {
      const ts = `17641${i}0000.000100`;
      const body = eventEnvelope(`Ev0SECRET${i}`, { type: 'app_mention', user: 'U0SEC', text: `<@${FAKE_BOT.userId}> ${text}`, channel: 'C0GENERAL', ts });
      expect((await postSigned(`${bot.base}/slack/events`, body, 'json', { secret: SIGNING_SECRET })).status).toBe(200);
      await bot.waitHandled(`msg:C0GENERAL:${ts}`);
    }
    const web = await fetch(`${bot.base}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: bot.base },
      body: JSON.stringify({ session: 'secrets-test-1', messageId: 'message-0001', text: 'help' }),
    });
    expect(web.status).toBe(200);
    const teams = await fetch(`${bot.base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-token' }, body: JSON.stringify({ type: 'message', id: 'sec-1', text: 'help', serviceUrl: 'http://127.0.0.1:9', from: { id: 'u' }, recipient: { id: 'b' }, conversation: { id: 'c' }, channelId: 'msteams' }) });
    expect(teams.status).toBe(401);

    // What the bot posted. The token belongs only in its credentials to Slack: the Authorization header,
    // and the `token` argument Bolt's auth.test sends.
    const posted = JSON.stringify(fake.calls.map((c) => ({ method: c.method, args: { ...c.args, token: undefined } })));
    expect(fake.calls.some((c) => c.authorization === `Bearer ${SECRETS.SLACK_BOT_TOKEN}`)).toBe(true);
    const everything = bot.stderr() + posted + (await web.text());
    // The run really did log at debug level and hit the failing model (so the check below means something).
    expect(bot.stderr()).toMatch(/"level":20/);
    expect(bot.stderr()).toMatch(/offline frame|fall(ing)? back|model/i);
    for (const [name, value] of [...Object.entries(SECRETS), ['SLACK_SIGNING_SECRET', SIGNING_SECRET]]) {
      expect({ name, leaked: everything.includes(value) }).toEqual({ name, leaked: false });
    }
  });
});
