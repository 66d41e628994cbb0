import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import { PaperLibrary } from '../../src/index/library.js';
import type { PaperIndex } from '../../src/index/paperIndex.js';
import { Shutdown } from '../../src/lifecycle/shutdown.js';
import type { PostedMessage } from '../../src/model/delivery.js';
import { seedIndex } from '../helpers/seeds.js';
import { captureLogger, FakeDelivery, scheduler, useTempStores } from '../scheduler/harness.js';

/** A daily post whose send waits until the test lets it through, as a slow platform would. */
class GatedDelivery extends FakeDelivery {
  sending = false;
  private release: (() => void) | undefined;
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));

  override async post(...args: Parameters<FakeDelivery['post']>): Promise<PostedMessage> {
    this.sending = true;
    await this.gate;
    return super.post(...args);
  }

  letThrough(): void {
    this.release?.();
  }
}

let index: PaperIndex;
beforeAll(async () => {
  index = await seedIndex();
});
const { open } = useTempStores();

describe('the scheduler at shutdown', () => {
  it('the post being sent goes out before the platforms disconnect and the database closes', async () => {
    const nine = new Date('2026-11-23T09:00:00Z');
    const clock = new FixedClock(new Date(nine.getTime() - 60_000));
    const store = open();
    store.subscriptions.upsert({ platform: 'console', workspaceId: '', channelId: 'console', postTime: '09:00', timezone: 'UTC', topN: 3, subscribedBy: 'u1' }, clock.now());
    const delivery = new GatedDelivery();
    const s = scheduler(store, new PaperLibrary(index), clock, [delivery]);
    clock.set(nine);
    const tick = s.tick();
    await expect.poll(() => delivery.sending).toBe(true);

    const order: string[] = [];
    const { logger } = captureLogger();
    const shutdown = new Shutdown({ logger, exit: () => undefined });
    shutdown.onStop('work', 'scheduler', async () => {
      await s.stop();
      order.push(`scheduler stopped after ${delivery.posts.length} post`);
    });
    shutdown.onStop('disconnect', 'platform', () => void order.push('platform disconnected'));
    shutdown.onStop('storage', 'database', () => {
      order.push('database closed');
      store.close();
    });
    const stopping = shutdown.run('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(order).toEqual([]);
    delivery.letThrough();

    expect(await stopping).toBe(0);
    expect((await tick).posted).toBe(1);
    expect(order).toEqual(['scheduler stopped after 1 post', 'platform disconnected', 'database closed']);
    expect(s.lastTickAt).toEqual(nine);
  });
});
