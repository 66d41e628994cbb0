import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import type { CommandContext } from '../../src/commands/command.js';
import { CommandRouter } from '../../src/commands/router.js';
import { subscriptionCommands } from '../../src/commands/subscribe.js';
import { PaperLibrary } from '../../src/index/library.js';
import type { PaperIndex } from '../../src/index/paperIndex.js';
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
  clock = new FixedClock(new Date('2026-12-02T12:00:00Z')); // a Wednesday
});

const router = () =>
  new CommandRouter(subscriptionCommands({ store, clock, library: new PaperLibrary(index), defaults: { postTime: '08:15', timezone: 'America/New_York' }, slackManagers: 'admins-and-subscriber' }));
const consoleUser: CommandContext = { platform: 'console', channelId: 'console', userId: 'me', canManageChannel: true };
const discordAdmin: CommandContext = { platform: 'discord', workspaceId: 'g1', channelId: 'c1', userId: 'admin', canManageChannel: true };
const consoleChannel = { platform: 'console' as const, workspaceId: '', channelId: 'console' };

describe('subscribe weekly', () => {
  it('subscribes the weekly digest in words, says when it comes next, and leaves the daily post alone', async () => {
    const reply = await router().handle('/paper subscribe weekly Mon 09:00 Europe/Berlin', consoleUser);
    expect(reply.error).toBeUndefined();
    expect(textOf(reply)).toContain('Subscribed to the weekly digest');
    expect(textOf(reply)).toContain('every Mon at 09:00 (Europe/Berlin). Next: Mon, Dec 7, 09:00 GMT+1');
    expect(store.weekly.get(consoleChannel)).toMatchObject({ weekday: 1, postTime: '09:00', timezone: 'Europe/Berlin', topN: 5 });
    expect(store.subscriptions.get(consoleChannel)).toBeUndefined();
  });

  it('takes the weekday as Discord’s weekly option, and top N', async () => {
    const reply = await router().handle('/paper subscribe --weekly friday 17:30 UTC --top 3', discordAdmin);
    expect(reply.error).toBeUndefined();
    expect(store.weekly.get({ platform: 'discord', workspaceId: 'g1', channelId: 'c1' })).toMatchObject({ weekday: 5, postTime: '17:30', timezone: 'UTC', topN: 3 });
  });

  it('refuses a word that is neither weekday, time nor zone', async () => {
    const reply = await router().handle('/paper subscribe weekly Mon 09:00 Mars/Olympus', consoleUser);
    expect(reply.error?.code).toBe('usage');
    expect(textOf(reply)).toContain('“Mars/Olympus” is not a time zone I know');
  });

  it('subscriptions lists it; unsubscribe weekly stops it and only it', async () => {
    const r = router();
    await r.handle('/paper subscribe 08:00 Europe/Berlin', consoleUser);
    await r.handle('/paper subscribe weekly Mon 09:00 Europe/Berlin', consoleUser);
    expect(textOf(await r.handle('/paper subscriptions', consoleUser))).toContain('Weekly digest of the top 5 papers and the late bloomers every Mon at 09:00 (Europe/Berlin).');
    const stopped = await r.handle('/paper unsubscribe weekly', consoleUser);
    expect(textOf(stopped)).toContain('Weekly digest stopped');
    expect(store.weekly.get(consoleChannel)).toBeUndefined();
    expect(store.subscriptions.get(consoleChannel)).toBeDefined();
    const listed = textOf(await r.handle('/paper subscriptions', consoleUser));
    expect(listed).toContain('No weekly digest.');
    expect(listed).toContain('Top 5 trending papers every day at 08:00 (Europe/Berlin).');
    expect((await r.handle('/paper unsubscribe --weekly', consoleUser)).error?.code).toBe('not_found');
  });
});
