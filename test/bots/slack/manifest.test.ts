import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../../helpers/seeds.js';

const manifest = readFileSync(join(ROOT, 'slack/manifest.yml'), 'utf8');
/** The `- scope` items under oauth_config.scopes.bot (comments and other lists ignored). */
const botScopes = [...(/^ {4}bot:\n((?: {6}(?:- .*|#.*)\n)+)/m.exec(manifest)?.[1] ?? '').matchAll(/^ {6}- (\S+)$/gm)].map((m) => m[1]);

it('declares /paper, the mention event, interactivity and Socket Mode', () => {
  expect(manifest).toMatch(/^ {4}- command: \/paper$/m);
  expect(manifest).toMatch(/bot_events:\n {6}- app_mention\n/);
  expect(manifest).toMatch(/interactivity:\n {4}is_enabled: true/);
  expect(manifest).toMatch(/^ {2}socket_mode_enabled: true$/m);
});

it('grants every scope the adapter uses', () => {
  // commands: /paper · chat:write: chat.postMessage/postEphemeral · app_mentions:read: app_mention
  // *:history: conversations.replies in each conversation type · users:read: users.info
  expect(botScopes.sort()).toEqual(['app_mentions:read', 'channels:history', 'chat:write', 'commands', 'groups:history', 'im:history', 'mpim:history', 'users:read']);
});
