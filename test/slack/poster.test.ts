import { webApi } from '@slack/bolt';
import { createSlackPoster, createSlackSender } from '../../bot/slack/poster';
import { reply } from '../../domain/conversation/reply';
import { silentLogger } from '../../domain/logger';
import { startFakeSlack, type FakeSlack } from '../support/fakeSlack';

/** Sending over real HTTP to the fake Slack: files for big tables and charts, '#name' channels for digests. */
describe('Slack sender and ChannelPoster (real HTTP, fake Slack)', () => {
  let fake: FakeSlack;
  let client: webApi.WebClient;
  beforeAll(async () => {
    fake = await startFakeSlack();
    client = new webApi.WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
  });
  afterAll(() => fake.close());

  const bigTable = reply([
    { kind: 'heading', text: 'All in-transit shipments' },
    { kind: 'table', caption: 'In transit', columns: ['Shipment', 'Customer', 'Lane'], rows: Array.from({ length: 400 }, (_, i) => [`SHP-${String(i).padStart(6, '0')}`, 'Acme Corp', 'Chicago → Dallas']) },
  ]);

  it('posts a table too big for a message as a CSV file in the same thread, with a note in the message', async () => {
    const sender = createSlackSender({ client, logger: silentLogger });
    await sender.send({ channel: 'C0GENERAL', threadTs: '111.222' }, [bigTable]);
    const [post] = fake.callsOf('chat.postMessage');
    expect(post.args).toMatchObject({ channel: 'C0GENERAL', thread_ts: '111.222' });
    expect(JSON.stringify(post.args.blocks)).toMatch(/400 rows and 3 columns, too many for a Slack message: it is attached as in-transit-1\.csv/);
    const [url] = fake.callsOf('files.getUploadURLExternal');
    expect(url.args).toMatchObject({ filename: 'in-transit-1.csv' });
    const [done] = fake.callsOf('files.completeUploadExternal');
    expect(done.args).toMatchObject({ channel_id: 'C0GENERAL', thread_ts: '111.222' });
    const bytes = fake.uploads.get((done.args.files as Array<{ id: string }>)[0].id)!.toString('utf8');
    expect(bytes).toContain('Shipment,Customer,Lane\r\nSHP-000000,Acme Corp,Chicago → Dallas\r\n');
    expect(bytes).toContain('SHP-000399');
  });

  it('uploads a chart drawn by the injected renderer; describes it when the renderer fails', async () => {
    const chart = { title: 'On-time trend', labels: ['a', 'b'], series: [{ name: 'On-time rate', unit: 'percent' as const, values: [0.5, 0.75] }] };
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const ok = createSlackSender({ client, logger: silentLogger, chartRenderer: async () => png });
    const before = fake.callsOf('files.completeUploadExternal').length;
    await ok.send({ channel: 'C0GENERAL' }, [reply([{ kind: 'chart', chart }])]);
    const done = fake.callsOf('files.completeUploadExternal')[before];
    const id = (done.args.files as Array<{ id: string }>)[0].id;
    expect(fake.uploads.get(id)!.includes(Buffer.from(png))).toBe(true);
    const failing = createSlackSender({ client, logger: silentLogger, chartRenderer: async () => { throw new Error('no fonts'); } });
    await failing.send({ channel: 'C0GENERAL' }, [reply([{ kind: 'chart', chart }])]);
    expect(JSON.stringify(fake.callsOf('chat.postMessage').at(-1)!.args.blocks)).toContain('latest 75.0% (b)');
  });

  it('the ChannelPoster posts to a channel id, or to "#name" resolved with conversations.list, and rejects an unknown name', async () => {
    const poster = createSlackPoster(client, createSlackSender({ client, logger: silentLogger }), silentLogger);
    expect(poster.platform).toBe('slack');
    await poster.post({ platform: 'slack', id: '#ops-reports' }, [reply([{ kind: 'text', text: 'KPI digest' }])]);
    expect(fake.callsOf('chat.postMessage').at(-1)!.args.channel).toBe('C0OPSREP');
    await poster.post({ platform: 'slack', id: 'C0GENERAL', threadId: '5.5' }, [reply([{ kind: 'text', text: 'hi' }])]);
    expect(fake.callsOf('chat.postMessage').at(-1)!.args).toMatchObject({ channel: 'C0GENERAL', thread_ts: '5.5' });
    await expect(poster.post({ platform: 'slack', id: '#nowhere' }, [reply([{ kind: 'text', text: 'x' }])])).rejects.toThrow(/#nowhere not found/);
  });
});
