import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { ROOT } from '../../helpers/seeds.js';

const Manifest = z.object({
  features: z.object({
    slash_commands: z.array(z.object({ command: z.string() })),
    app_home: z.object({ home_tab_enabled: z.boolean(), messages_tab_enabled: z.boolean(), messages_tab_read_only_enabled: z.boolean() }).optional(),
  }),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()) }) }),
  settings: z.object({
    event_subscriptions: z.object({ bot_events: z.array(z.string()) }),
    interactivity: z.object({ is_enabled: z.boolean() }),
    socket_mode_enabled: z.boolean(),
  }),
});
const manifest = Manifest.parse(parse(readFileSync(join(ROOT, 'slack/manifest.yml'), 'utf8')));

/** The Slack adapter's source, where its Web API calls and event listeners are. */
const SLACK_SRC = join(ROOT, 'src/bots/slack');
const source = readdirSync(SLACK_SRC)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(join(SLACK_SRC, f), 'utf8'))
  .join('\n');

/** The bot-token scopes each Web API method needs, from its page at docs.slack.dev/reference/methods. */
const HISTORY = ['channels:history', 'groups:history', 'mpim:history', 'im:history'];
const METHOD_SCOPES: Record<string, readonly string[]> = {
  'auth.test': [],
  'chat.postMessage': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.getPermalink': [],
  // Threads and channels of every conversation type the bot may be in.
  'conversations.replies': HISTORY,
  'conversations.history': HISTORY,
  'users.info': ['users:read'],
  // The bot's DM with a member, where their exported files go.
  'conversations.open': ['im:write'],
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
};
/** The scope each subscribed event needs, from docs.slack.dev/reference/events. */
const EVENT_SCOPES: Record<string, string> = {
  app_mention: 'app_mentions:read',
  'message.im': 'im:history',
  'message.channels': 'channels:history',
  reaction_added: 'reactions:read',
  reaction_removed: 'reactions:read',
};

const called = [...new Set([...source.matchAll(/\bclient\.(auth|chat|conversations|users|files)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}`))].sort();

it('knows the scopes of every Web API method the adapter calls', () => {
  expect(called).toEqual(expect.arrayContaining(['chat.postEphemeral', 'chat.postMessage', 'conversations.replies', 'users.info']));
  for (const method of called) expect(METHOD_SCOPES, `scopes of ${method}`).toHaveProperty([method]);
});

it('grants exactly the scopes the adapter uses: each one is needed by a call, an event or /paper', () => {
  const events = manifest.settings.event_subscriptions.bot_events;
  const needed = new Set([...called.flatMap((m) => METHOD_SCOPES[m] ?? []), ...events.map((e) => EVENT_SCOPES[e]!), ...(manifest.features.slash_commands.length > 0 ? ['commands'] : [])]);
  expect(events.every((e) => EVENT_SCOPES[e])).toBe(true);
  expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
});

it('every subscribed event has a listener, and DMs can be written to the bot', () => {
  expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/paper']);
  expect(manifest.settings.interactivity.is_enabled).toBe(true);
  expect(manifest.settings.socket_mode_enabled).toBe(true);
  const events = manifest.settings.event_subscriptions.bot_events;
  expect(events).toEqual(['app_mention', 'message.im', 'reaction_added', 'reaction_removed']);
  expect(source).toContain("bolt.event('reaction_added'");
  expect(source).toContain("bolt.event('reaction_removed'");
  expect(source).toContain("bolt.event('app_mention'");
  // message.im arrives as a `message` event from an `im` channel.
  expect(source).toContain("bolt.event('message'");
  expect(source).toMatch(/channel_type: z\.literal\('im'\)/);
  expect(manifest.features.app_home).toEqual({ messages_tab_enabled: true, messages_tab_read_only_enabled: false, home_tab_enabled: false });
});
