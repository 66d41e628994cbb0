import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import type { ManagerPolicy } from '../../src/commands/channelAccess.js';
import type { CommandContext } from '../../src/commands/command.js';
import { CommandRouter } from '../../src/commands/router.js';
import { subscriptionCommands } from '../../src/commands/subscribe.js';
import { watchCommands } from '../../src/commands/watch.js';
import { PaperLibrary } from '../../src/index/library.js';
import type { PaperIndex } from '../../src/index/paperIndex.js';
import { DAILY } from '../../src/store/postLedger.js';
import type { Store } from '../../src/store/store.js';
import { seedIndex } from '../helpers/seeds.js';
import { textOf, useTempStores } from '../scheduler/harness.js';

let index: PaperIndex;
beforeAll(async () => {
  index = await seedIndex();
});
const stores = useTempStores();
let store: Store;
let clock: FixedClock;
beforeEach(() => {
  store = stores.open();
  clock = new FixedClock(new Date('2026-11-23T12:00:00Z'));
});

function router(slackManagers: ManagerPolicy = 'admins-and-subscriber'): CommandRouter {
  const services = { store, clock, library: new PaperLibrary(index), defaults: { postTime: '08:15', timezone: 'America/New_York' }, slackManagers };
  return new CommandRouter([...subscriptionCommands(services), ...watchCommands(services)]);
}
const discordAdmin: CommandContext = { platform: 'discord', workspaceId: 'g1', channelId: 'c1', userId: 'admin', canManageChannel: true };
const discordMember: CommandContext = { platform: 'discord', workspaceId: 'g1', channelId: 'c1', userId: 'member', canManageChannel: false };
const slack = (userId: string, admin = false): CommandContext => ({ platform: 'slack', workspaceId: 'T1', channelId: 'C1', userId, canManageChannel: admin });

describe('subscribe', () => {
  it('uses the configured default time and zone, and says when the next post comes in that zone', async () => {
    const reply = await router().handle('/paper subscribe', discordAdmin);
    expect(reply.error).toBeUndefined();
    expect(reply.visibility).toBe('channel');
    expect(textOf(reply)).toContain('Top 5 trending papers every day at 08:15 (America/New_York).');
    expect(textOf(reply)).toContain('Next post: Mon, Nov 23, 08:15 EST'); // it is 07:00 in New York
    expect(store.subscriptions.get({ platform: 'discord', workspaceId: 'g1', channelId: 'c1' })).toMatchObject({ postTime: '08:15', timezone: 'America/New_York', topN: 5, subscribedBy: 'admin' });
  });

  it('takes time, IANA zone and top N in any order, and updates an existing subscription', async () => {
    const r = router();
    await r.handle('subscribe 9:30', discordAdmin);
    const reply = await r.handle('subscribe top 3 europe/berlin', discordAdmin);
    expect(textOf(reply)).toMatch(/^Daily post updated/);
    expect(textOf(reply)).toContain('Top 3 trending papers every day at 09:30 (Europe/Berlin).');
    expect(textOf(reply)).toContain('Next post: Tue, Nov 24, 09:30 GMT+1');
  });

  it('explains a bad time, zone or count', async () => {
    const r = router();
    expect(textOf(await r.handle('subscribe 24:00', discordAdmin))).toMatch(/not a time of day.*HH:MM/);
    expect(textOf(await r.handle('subscribe 09:00 Europe/Berln', discordAdmin))).toMatch(/not a time zone I know.*Europe\/Berlin/);
    expect(textOf(await r.handle('subscribe top 50', discordAdmin))).toMatch(/from 1 to 10/);
    expect(store.subscriptions.all()).toHaveLength(0);
  });

  it('politely refuses members who may not manage the channel', async () => {
    const reply = await router().handle('subscribe 09:00', discordMember);
    expect(reply.error?.code).toBe('permission');
    expect(reply.visibility).toBe('ephemeral');
    expect(textOf(reply)).toMatch(/only members with the Manage Channels or Manage Webhooks permission/);
    expect(store.subscriptions.all()).toHaveLength(0);
  });

  it('on Slack lets the member who subscribed change it, per SLACK_SUBSCRIPTION_MANAGERS', async () => {
    const r = router('admins-and-subscriber');
    expect((await r.handle('subscribe 07:00', slack('admin', true))).error).toBeUndefined();
    expect((await r.handle('subscribe 07:30', slack('someone'))).error?.code).toBe('permission');
    await r.handle('unsubscribe', slack('admin', true));
    // A member cannot create one when only admins may; with the default policy the subscriber can manage it.
    expect((await router('admins').handle('subscribe', slack('alice'))).error?.code).toBe('permission');
    expect((await router('anyone').handle('subscribe', slack('alice'))).error).toBeUndefined();
    expect((await r.handle('subscribe 06:00', slack('alice'))).error).toBeUndefined();
    expect((await router('admins').handle('subscribe 06:30', slack('alice'))).error?.code).toBe('permission');
  });

  it('needs a chat channel', async () => {
    const reply = await router().handle('subscribe', { platform: 'cli' });
    expect(reply.error?.code).toBe('usage');
    expect(textOf(reply)).toMatch(/chat channel/);
  });

  it('resumes a paused channel', async () => {
    const channel = { platform: 'discord' as const, workspaceId: 'g1', channelId: 'c1' };
    store.pauses.pause(channel, 'forbidden: Missing Permissions', clock.now());
    const reply = await router().handle('subscribe', discordAdmin);
    expect(textOf(reply)).toMatch(/was paused after a failed post; posting here again/);
    expect(store.pauses.get(channel)).toBeUndefined();
  });
});

describe('unsubscribe and subscriptions', () => {
  it('shows what the channel gets, the last post, and stops it on unsubscribe', async () => {
    const r = router();
    const channel = { platform: 'discord' as const, workspaceId: 'g1', channelId: 'c1' };
    expect(textOf(await r.handle('subscriptions', discordMember))).toMatch(/No daily post here/);
    await r.handle('subscribe 09:00 Asia/Tokyo top 2', discordAdmin);
    await r.handle('watch moe routing', discordAdmin);
    store.posts.claim({
      channel,
      kind: DAILY,
      day: '2026-11-23',
      digestDate: '2026-11-13',
      key: 'k1',
      payload: '{}',
      hasThread: false,
      dueAt: new Date('2026-11-23T00:00:00Z'),
      instanceId: 'x',
      now: new Date('2026-11-23T00:00:00Z'),
    });
    store.posts.markSent(channel, DAILY, '2026-11-23', 'x', 'm1', new Date('2026-11-23T00:00:05Z'), false);

    const overview = textOf(await r.handle('subscriptions', discordMember));
    expect(overview).toContain('Top 2 trending papers every day at 09:00 (Asia/Tokyo).');
    expect(overview).toContain('Next post: Tue, Nov 24, 09:00 GMT+9');
    expect(overview).toContain('Last post: the Nov 13, 2026 digest, sent Mon, Nov 23, 09:00 GMT+9.');
    expect(overview).toMatch(/Watching: “moe routing” \(#\d+\)/);

    expect((await r.handle('unsubscribe', discordMember)).error?.code).toBe('permission');
    expect(textOf(await r.handle('unsubscribe', discordAdmin))).toMatch(/^Unsubscribed/);
    expect(store.subscriptions.get(channel)).toBeUndefined();
    expect((await r.handle('unsubscribe', discordAdmin)).error?.code).toBe('not_found');
  });

  it('lists paused channels of the workspace for admins only', async () => {
    const r = router();
    await r.handle('subscribe 09:00 UTC', discordAdmin);
    const gone = { platform: 'discord' as const, workspaceId: 'g1', channelId: 'c1' };
    store.pauses.pause(gone, 'gone: Unknown Channel', clock.now());
    store.pauses.pause({ platform: 'discord', workspaceId: 'other-guild', channelId: 'x' }, 'gone: Unknown Channel', clock.now());

    expect((await r.handle('subscriptions --paused', { ...discordMember, channelId: 'c2' })).error?.code).toBe('permission');
    const list = textOf(await r.handle('subscriptions --paused', { ...discordAdmin, channelId: 'c2' }));
    expect(list).toMatch(/^Paused channels \(1\)/);
    expect(list).toContain('channel c1: daily post at 09:00 UTC; paused Mon, Nov 23, 12:00 UTC because gone: Unknown Channel');
    expect(textOf(await r.handle('subscriptions', discordAdmin))).toMatch(/Paused since .*Run \/paper subscribe here to resume/);
  });

  it('does not promise a next post for a day already posted after the time was changed', async () => {
    const r = router();
    const channel = { platform: 'discord' as const, workspaceId: 'g1', channelId: 'c1' };
    clock.set(new Date('2026-11-23T10:00:00Z'));
    await r.handle('subscribe 09:00 UTC', discordAdmin);
    store.posts.claim({ channel, kind: DAILY, day: '2026-11-23', digestDate: '2026-11-13', key: 'k1', payload: '{}', hasThread: false, dueAt: clock.now(), instanceId: 'x', now: clock.now() });
    const reply = textOf(await r.handle('subscribe 11:00 UTC', discordAdmin));
    expect(reply).toContain('Next post: Tue, Nov 24, 11:00 UTC');
  });
});
