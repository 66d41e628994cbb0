import { describe, expect, it } from 'vitest';
import { InFlight } from '../../src/lifecycle/inFlight.js';
import { Shutdown } from '../../src/lifecycle/shutdown.js';
import { capturingLogger } from '../bots/discord/harness.js';

const never = () => new Promise<void>(() => undefined);
const soon = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('Shutdown', () => {
  it('runs the phases in order whatever order the steps were added in, steps of a phase side by side', async () => {
    const { logger } = capturingLogger();
    const shutdown = new Shutdown({ logger, exit: () => undefined });
    const done: string[] = [];
    const step = (name: string, ms: number) => async () => {
      await soon(ms);
      done.push(name);
    };
    shutdown.onStop('storage', 'database', step('database', 0));
    shutdown.onStop('disconnect', 'gateway', step('gateway', 0));
    shutdown.onStop('work', 'slow answer', step('slow answer', 30));
    shutdown.onStop('work', 'scheduler', step('scheduler', 0));
    shutdown.onStop('intake', 'receiver', step('receiver', 10));

    expect(await shutdown.run('test')).toBe(0);
    expect(done).toEqual(['receiver', 'scheduler', 'slow answer', 'gateway', 'database']);
  });

  it('past the deadline gives 1 and logs the steps still running and those not started', async () => {
    const { logger, logs } = capturingLogger();
    const shutdown = new Shutdown({ logger, deadlineMs: 50, exit: () => undefined });
    shutdown.onStop('intake', 'receiver', () => undefined);
    shutdown.onStop('work', 'stuck send', never);
    shutdown.onStop('storage', 'database', () => undefined);

    expect(await shutdown.run('test')).toBe(1);
    const line = logs.find((l) => l.msg.startsWith('shutdown deadline passed'));
    expect([line?.running, line?.notStarted]).toEqual([['stuck send'], ['database']]);
  });

  it('a step that throws is logged, the later phases still run, and the code is 1', async () => {
    const { logger, logs } = capturingLogger();
    const shutdown = new Shutdown({ logger, exit: () => undefined });
    let closed = false;
    shutdown.onStop('disconnect', 'gateway', () => Promise.reject(new Error('socket gone')));
    shutdown.onStop('storage', 'database', () => (closed = true));

    expect(await shutdown.run('test')).toBe(1);
    expect(closed).toBe(true);
    expect(logs.find((l) => l.msg === 'shutdown step failed')?.step).toBe('gateway');
  });

  it('runs the steps once however often it is asked (a second Ctrl-C), and exits with the code', async () => {
    const { logger } = capturingLogger();
    const codes: number[] = [];
    const shutdown = new Shutdown({ logger, exit: (code) => codes.push(code) });
    let runs = 0;
    shutdown.onStop('work', 'scheduler', () => void runs++);
    expect(shutdown.stopping).toBe(false);
    await Promise.all([shutdown.runAndExit('SIGINT'), shutdown.runAndExit('SIGINT')]);
    expect(shutdown.stopping).toBe(true);
    expect(runs).toBe(1);
    expect(codes).toEqual([0, 0]);
  });
});

describe('InFlight', () => {
  it('drained waits for the work taken, and closed turns new work away', async () => {
    const inFlight = new InFlight();
    let finished = false;
    const taken = inFlight.run(async () => {
      await soon(20);
      finished = true;
      return 'answer';
    });
    inFlight.close();
    expect(inFlight.run(async () => 'late')).toBeUndefined();
    await inFlight.drained();
    expect(finished).toBe(true);
    expect(await taken).toBe('answer');
    expect(inFlight.size).toBe(0);
  });

  it('a failing answer does not stop the drain, and its error stays with the caller', async () => {
    const inFlight = new InFlight();
    const failing = inFlight.run(() => Promise.reject(new Error('boom')));
    await expect(failing).rejects.toThrow('boom');
    await inFlight.drained();
    expect(inFlight.size).toBe(0);
  });
});
