import type { Logger } from '../logger.js';

/**
 * The order things stop in. Each phase starts when the one before has finished; the steps of a
 * phase run side by side.
 * - intake: no new events (platform receivers closed, new events turned away)
 * - work: what was taken is finished (answers in flight, the scheduler's tick, the digest fetch)
 * - disconnect: platform connections closed (they were still needed to send those answers)
 * - storage: the database closed, once nothing writes to it any more
 */
export const STOP_PHASES = ['intake', 'work', 'disconnect', 'storage'] as const;
export type StopPhase = (typeof STOP_PHASES)[number];

/** Docker sends SIGKILL 10 s after SIGTERM by default: finish, or give up, before that. */
export const SHUTDOWN_DEADLINE_MS = 8000;

export interface ShutdownOptions {
  logger: Logger;
  deadlineMs?: number;
  /** How the process ends; tests pass their own. */
  exit?: (code: number) => void;
}

interface Step {
  phase: StopPhase;
  name: string;
  stop: () => unknown;
}

/**
 * Stops the running bot in order (STOP_PHASES) on SIGTERM, SIGINT or a call to `run`, and exits
 * 0 when every step finished before the deadline. Past the deadline it exits 1 anyway, logging
 * the steps that had not finished, so a stuck send never keeps a restart waiting.
 */
export class Shutdown {
  private readonly steps: Step[] = [];
  private readonly deadlineMs: number;
  private readonly exit: (code: number) => void;
  private running: Promise<number> | undefined;

  constructor(private readonly options: ShutdownOptions) {
    this.deadlineMs = options.deadlineMs ?? SHUTDOWN_DEADLINE_MS;
    this.exit = options.exit ?? ((code) => process.exit(code));
  }

  get stopping(): boolean {
    return this.running !== undefined;
  }

  onStop(phase: StopPhase, name: string, stop: () => unknown): void {
    this.steps.push({ phase, name, stop });
  }

  /** SIGTERM and SIGINT stop the bot once and end the process. */
  handleSignals(signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): void {
    for (const signal of signals) {
      // npm and tsx pass a terminal's Ctrl-C on as well, so one press can arrive twice: later ones only wait.
      process.on(signal, () => {
        if (this.stopping) this.options.logger.info({ signal }, 'already shutting down');
        else void this.runAndExit(signal);
      });
    }
  }

  async runAndExit(reason: string): Promise<void> {
    this.exit(await this.run(reason));
  }

  /** Runs every step once (later calls get the same result): 0 when all finished in time, 1 otherwise. */
  run(reason: string): Promise<number> {
    this.running ??= this.runSteps(reason);
    return this.running;
  }

  private async runSteps(reason: string): Promise<number> {
    const { logger } = this.options;
    const started = performance.now();
    logger.info({ reason, deadlineMs: this.deadlineMs }, 'shutting down');
    const notStarted = new Set(this.steps.map((s) => s.name));
    const running = new Set<string>();
    let failed = false;
    const allSteps = async () => {
      for (const phase of STOP_PHASES) {
        await Promise.all(
          this.steps
            .filter((s) => s.phase === phase)
            .map(async (step) => {
              notStarted.delete(step.name);
              running.add(step.name);
              try {
                await step.stop();
              } catch (err) {
                failed = true;
                logger.error({ err, step: step.name }, 'shutdown step failed');
              }
              running.delete(step.name);
              logger.debug({ step: step.name, ms: Math.round(performance.now() - started) }, 'shutdown step done');
            }),
        );
      }
      return 'done' as const;
    };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), this.deadlineMs)));
    const outcome = await Promise.race([allSteps(), deadline]);
    clearTimeout(timer);
    const ms = Math.round(performance.now() - started);
    if (outcome === 'deadline') {
      logger.error({ running: [...running], notStarted: [...notStarted], ms }, 'shutdown deadline passed: exiting without waiting for the unfinished steps');
      return 1;
    }
    if (failed) {
      logger.warn({ ms }, 'shut down, but a step failed (logged above)');
      return 1;
    }
    logger.info({ ms }, 'shut down cleanly');
    return 0;
  }
}
