import { actionTurn, commandTurn, messageTurn, stripBotMention } from '../../bot/slack/inbound';
import { checkSlackHeaders } from '../../bot/slack/verify';

const BOT = 'UBOT1';

describe('Slack payloads to the core', () => {
  it('strips the bot\'s own mention only', () => {
    expect(stripBotMention(`<@${BOT}> where is order 10042?`, BOT)).toBe('where is order 10042?');
    expect(stripBotMention(`hey <@${BOT}|waybill>  status of <@U999>`, BOT)).toBe('hey status of <@U999>');
    expect(stripBotMention('  help ', undefined)).toBe('help');
  });

  it('a channel mention is answered in its thread (a new one on the message, or the thread it is in)', () => {
    const top = messageTurn({ type: 'app_mention', user: 'U1', text: `<@${BOT}> help`, channel: 'C1', ts: '100.1' }, BOT)!;
    expect(top.to).toEqual({ channel: 'C1', threadTs: '100.1' });
    expect(top.inbound).toMatchObject({ text: 'help', speaker: { platform: 'slack', id: 'U1' }, conversation: { platform: 'slack', id: 'C1', threadId: '100.1' }, eventKey: 'msg:C1:100.1' });
    const inThread = messageTurn({ type: 'app_mention', user: 'U1', text: 'more', channel: 'C1', ts: '100.5', thread_ts: '100.1' }, BOT)!;
    expect(inThread.to.threadTs).toBe('100.1');
    expect(inThread.inbound.conversation.threadId).toBe('100.1');
  });

  it('a direct message stays in the flow of the chat; a thread reply in a DM stays in the thread', () => {
    expect(messageTurn({ type: 'message', channel_type: 'im', user: 'U1', text: 'help', channel: 'D1', ts: '5.5' }, BOT)!.to).toEqual({ channel: 'D1', threadTs: undefined });
    expect(messageTurn({ type: 'message', channel_type: 'im', user: 'U1', text: 'x', channel: 'D1', ts: '5.6', thread_ts: '5.5' }, BOT)!.to.threadTs).toBe('5.5');
  });

  it('ignores bots, itself, subtypes and plain channel messages', () => {
    const base = { type: 'message', channel_type: 'im', user: 'U1', text: 'help', channel: 'D1', ts: '1.1' };
    expect(messageTurn({ ...base, subtype: 'message_changed' }, BOT)).toBeUndefined();
    expect(messageTurn({ ...base, bot_id: 'B1' }, BOT)).toBeUndefined();
    expect(messageTurn({ ...base, user: BOT }, BOT)).toBeUndefined();
    expect(messageTurn({ ...base, user: undefined }, BOT)).toBeUndefined();
    expect(messageTurn({ ...base, channel_type: 'channel', channel: 'C1' }, BOT)).toBeUndefined();
  });

  it('an event of another shape is ignored or read as empty text, never a TypeError (hardening regression)', () => {
    const odd = (e: Record<string, unknown>) => messageTurn({ type: 'app_mention', user: 'U1', text: 'help', channel: 'C1', ts: '7.1', ...e } as never, BOT);
    expect(odd({ user: 7 })).toBeUndefined();
    expect(odd({ channel: null })).toBeUndefined();
    expect(odd({ ts: {} })).toBeUndefined();
    expect(odd({ text: ['help'] })!.inbound.text).toBe('');
  });

  it('a slash command: empty text asks for help, keyed by trigger_id, answered in the channel', () => {
    const t = commandTurn({ command: '/waybill', text: '', user_id: 'U1', channel_id: 'C1', channel_name: 'ops', trigger_id: 'tr1', response_url: 'https://hooks/x' }, BOT);
    expect(t.inbound).toMatchObject({ text: 'help', eventKey: 'cmd:tr1', conversation: { id: 'C1', name: 'slack #ops' } });
    expect(t.to).toEqual({ channel: 'C1', responseUrl: 'https://hooks/x' });
  });

  it('a button click carries our action back, in the card\'s conversation and thread', () => {
    const body = {
      type: 'block_actions', trigger_id: 'tr9', user: { id: 'U1' }, channel: { id: 'C1' },
      message: { ts: '9.9', thread_ts: '9.1' },
      actions: [{ action_id: 'waybill:1', block_id: 'b', value: '{"id":"confirm","value":"tok"}' }],
    };
    const t = actionTurn(body)!;
    expect(t.inbound).toMatchObject({ action: { id: 'confirm', value: 'tok' }, eventKey: 'act:tr9', conversation: { id: 'C1', threadId: '9.1' } });
    expect(t.to).toMatchObject({ channel: 'C1', threadTs: '9.1' });
    expect(actionTurn({ ...body, actions: [{ action_id: 'other', value: 'x' }] })).toBeUndefined();
  });

  it('refuses missing, malformed and stale (either way) signature headers before the body is read', () => {
    const now = 1_800_000_000_000;
    const sig = `v0=${'a'.repeat(64)}`;
    const ts = String(now / 1000);
    expect(checkSlackHeaders({ 'x-slack-request-timestamp': ts, 'x-slack-signature': sig }, now)).toBeUndefined();
    expect(checkSlackHeaders({ 'x-slack-signature': sig }, now)).toBe('missing signature headers');
    expect(checkSlackHeaders({ 'x-slack-request-timestamp': ts }, now)).toBe('missing signature headers');
    expect(checkSlackHeaders({ 'x-slack-request-timestamp': 'abc', 'x-slack-signature': sig }, now)).toBe('malformed timestamp');
    expect(checkSlackHeaders({ 'x-slack-request-timestamp': ts, 'x-slack-signature': 'v1=zz' }, now)).toBe('malformed signature');
    expect(checkSlackHeaders({ 'x-slack-request-timestamp': String(now / 1000 - 301), 'x-slack-signature': sig }, now)).toBe('stale timestamp');
    expect(checkSlackHeaders({ 'x-slack-request-timestamp': String(now / 1000 + 301), 'x-slack-signature': sig }, now)).toBe('stale timestamp');
  });
});
