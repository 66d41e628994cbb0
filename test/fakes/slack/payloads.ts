import { BOT_USER_ID, TEAM_ID } from './fakeSlack.js';

/** Payloads shaped like Slack's, with only the fields a real request always carries. */

export interface SlashCommand {
  command: string;
  text: string;
  user_id: string;
  user_name: string;
  channel_id: string;
  channel_name: string;
  team_id: string;
  team_domain: string;
  trigger_id: string;
  response_url: string;
  api_app_id: string;
  token: string;
}

export function slashCommand(fields: { text: string; trigger: string; responseUrl: string; user?: string; channel?: string }): SlashCommand {
  return {
    command: '/paper',
    text: fields.text,
    user_id: fields.user ?? 'UALICE01',
    user_name: 'alice',
    channel_id: fields.channel ?? 'CGENERAL',
    channel_name: 'general',
    team_id: TEAM_ID,
    team_domain: 'fake',
    trigger_id: fields.trigger,
    response_url: fields.responseUrl,
    api_app_id: 'AFAKE',
    token: 'deprecated-verification-token',
  };
}

/** The form body Slack posts for a slash command. */
export function formBody(fields: object): string {
  return new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)])).toString();
}

export interface PressedButton {
  /** The button's value: the command it replays. */
  value: string;
  actionId?: string;
  trigger: string;
  responseUrl: string;
  user?: string;
  channel?: string;
  /** ts of the message carrying the button; omitted for an ephemeral message. */
  messageTs?: string;
  threadTs?: string;
}

export function blockAction(b: PressedButton): Record<string, unknown> {
  const channel = b.channel ?? 'CGENERAL';
  const container: Record<string, unknown> = b.messageTs
    ? { type: 'message', message_ts: b.messageTs, channel_id: channel, is_ephemeral: false, ...(b.threadTs ? { thread_ts: b.threadTs } : {}) }
    : { type: 'message', message_ts: '1699999999.000001', channel_id: channel, is_ephemeral: true };
  return {
    type: 'block_actions',
    user: { id: b.user ?? 'UALICE01', username: 'alice', team_id: TEAM_ID },
    api_app_id: 'AFAKE',
    token: 'deprecated-verification-token',
    container,
    trigger_id: b.trigger,
    team: { id: TEAM_ID, domain: 'fake' },
    channel: { id: channel, name: 'general' },
    ...(b.messageTs ? { message: { type: 'message', ts: b.messageTs, ...(b.threadTs ? { thread_ts: b.threadTs } : {}) } } : {}),
    response_url: b.responseUrl,
    actions: [{ type: 'button', action_id: b.actionId ?? 'paperbot:cmd:0', block_id: 'b1', value: b.value, action_ts: '1700000001.000001' }],
  };
}

/** Interactivity arrives as a form with one `payload` field of JSON. */
export function interactionBody(payload: object): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** The Events API envelope around one event, as Slack posts it to the bot. */
function eventCallback(eventId: string, event: Record<string, unknown>): Record<string, unknown> {
  return {
    token: 'deprecated-verification-token',
    team_id: TEAM_ID,
    api_app_id: 'AFAKE',
    type: 'event_callback',
    event_id: eventId,
    event_time: 1_700_000_000,
    authorizations: [{ team_id: TEAM_ID, user_id: BOT_USER_ID, is_bot: true }],
    event,
  };
}

export function appMention(m: { text: string; ts: string; eventId: string; threadTs?: string; user?: string; channel?: string }): Record<string, unknown> {
  return eventCallback(m.eventId, {
    type: 'app_mention',
    user: m.user ?? 'UALICE01',
    text: m.text,
    ts: m.ts,
    channel: m.channel ?? 'CGENERAL',
    event_ts: m.ts,
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
  });
}

/** `message.im`: a member writes to the bot in their DM with it (Events API, subscribed to `message.im`). */
export function directMessage(m: { text: string; ts: string; eventId: string; user?: string; channel?: string }): Record<string, unknown> {
  return eventCallback(m.eventId, { type: 'message', channel_type: 'im', user: m.user ?? 'UALICE01', text: m.text, ts: m.ts, channel: m.channel ?? 'DALICE01', event_ts: m.ts });
}

/**
 * `reaction_added` / `reaction_removed` on a message (https://docs.slack.dev/reference/events/reaction_added):
 * the message is named by channel and ts only; `item_user` is its author. Skin tones arrive as
 * `+1::skin-tone-3`.
 */
export function reaction(r: { eventId: string; reaction: string; channel: string; ts: string; user?: string; itemUser?: string; removed?: boolean }): Record<string, unknown> {
  return eventCallback(r.eventId, {
    type: r.removed ? 'reaction_removed' : 'reaction_added',
    user: r.user ?? 'UALICE01',
    reaction: r.reaction,
    item_user: r.itemUser ?? BOT_USER_ID,
    item: { type: 'message', channel: r.channel, ts: r.ts },
    event_ts: '1700000100.000200',
  });
}
