import type { Server } from 'node:http';
import type { ListenOptions } from 'node:net';
import { App as BoltApp, HTTPReceiver, SocketModeReceiver, type webApi } from '@slack/bolt';
import type { CommandContext, ParsedCommand } from '../../commands/command.js';
import type { SlackSettings } from '../../config.js';
import type { Logger } from '../../logger.js';
import { ConfigError } from '../../model/errors.js';
import { plain } from '../../model/reply.js';
import type { AdapterDeps, PlatformAdapter } from '../platform.js';
import { ReplySender, THREAD_LOOKBACK_MS, type Origin } from './replySender.js';
import { ACTION_ID_PREFIX, renderReply } from './blocks.js';
import { boltLogger } from './boltLogger.js';
import { RecentKeys } from './dedupe.js';
import { deliveryClient, SlackDelivery, SlackPoster } from './delivery.js';
import { SlackFileUploader } from './fileUpload.js';
import { mentionCommand, mentionText, unescapeSlack } from './incomingText.js';
import { AppMentionBody, BlockActionsBody, DirectMessageBody, SlashCommandBody, ThreadReplies } from './payloads.js';
import { DEFAULT_BODY_LIMITS, guardedListener, limitSlowHeaders, type BodyLimits } from './httpGuard.js';
import { ChannelManagers } from './permissions.js';
import { listenForReactions } from './reactions.js';
import { threadPaperId } from './threadPaper.js';

export interface SlackBotOptions {
  /** Where the HTTP receiver listens; the mode's port (SLACK_PORT) on every interface unless given. */
  listen?: ListenOptions;
  /** Web API retries on 5xx and network errors; a couple of quick ones by default. */
  retryConfig?: webApi.RetryOptions;
  /** How many delivery keys to remember against Slack's retries. */
  dedupeCapacity?: number;
  /** HTTP mode: the largest body read, and how long one may take to arrive. */
  bodyLimits?: Partial<BodyLimits>;
}

export interface SlackAdapter extends PlatformAdapter {
  readonly mode: 'http' | 'socket';
  /** The HTTP receiver's port once started (tests listen on port 0 and read it here). */
  readonly port: number | undefined;
}

/** The started receiver: connected means it listens (HTTP) or the socket is open (Socket Mode). */
interface Running {
  port?: number;
  connected(): boolean;
  /** Closes the receiver or the socket; the Web API client keeps working for answers still being sent. */
  stop(): Promise<void>;
}

const DEFAULT_RETRIES: webApi.RetryOptions = { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 3000 };
/** How long stopping the HTTP receiver waits for a request still being received. */
const STOP_GRACE_MS = 1000;
const SORRY = 'Sorry, something went wrong on my side. The error has been logged; please try again.';

/**
 * The Slack adapter over the real Bolt App: Socket Mode with its app token, or the HTTP receiver
 * (signing-secret verification) on its port at /slack/events. It maps `/paper`, buttons and
 * mentions to the shared router and renders its replies.
 */
export function createSlackAdapter(deps: AdapterDeps, settings: SlackSettings, options: SlackBotOptions = {}): SlackAdapter {
  const logger = deps.logger.child({ platform: 'slack' });
  // Scheduled posts use a client of their own that never retries blindly (see deliveryClient).
  const delivery = new SlackDelivery(deliveryClient(settings.botToken, { ...apiUrlOf(settings), logger: boltLogger(logger) }));
  let running: Running | undefined;
  return {
    name: 'slack',
    mode: settings.mode.kind,
    get port() {
      return running?.port;
    },
    delivery,
    // Closed first: its stop closes only the receiver, and answers go out through the Web API client.
    stopsAt: { phase: 'intake', what: 'slack receiver' },
    start: async () => {
      running = await startSlack(deps, settings, options, logger, delivery);
    },
    stop: async () => running?.stop(),
    connected: () => running?.connected() ?? false,
  };
}

/** SLACK_API_URL as the Web API client wants it (with a trailing slash); Slack itself when unset. */
function apiUrlOf(settings: SlackSettings): { slackApiUrl?: string } {
  return settings.apiUrl ? { slackApiUrl: settings.apiUrl.replace(/\/?$/, '/') } : {};
}

/** Builds the receiver and the Bolt App, wires the events to the router and starts listening. */
async function startSlack(deps: AdapterDeps, settings: SlackSettings, options: SlackBotOptions, logger: Logger, delivery: SlackDelivery): Promise<Running> {
  const { router, clock, inFlight } = deps;
  const token = settings.botToken;
  const boltLog = boltLogger(logger);
  const apiUrl = apiUrlOf(settings);
  const slack = settings.mode;
  const mode = slack.kind;

  const bodyLimits = { ...DEFAULT_BODY_LIMITS, ...options.bodyLimits };
  let receiver: SocketModeReceiver | HTTPReceiver;
  if (slack.kind === 'socket') receiver = new SocketModeReceiver({ appToken: slack.appToken, logger: boltLog, installerOptions: { clientOptions: { ...apiUrl } } });
  else {
    const http = new HTTPReceiver({ signingSecret: slack.signingSecret, port: slack.port, logger: boltLog });
    http.requestListener = guardedListener(http.requestListener, slack.signingSecret, bodyLimits, logger);
    receiver = http;
  }
  const bolt = new BoltApp({
    token,
    receiver,
    logger: boltLog,
    deferInitialization: true,
    // Rate limits come back as errors so a user hears "try again in N s" instead of silence.
    clientOptions: { ...apiUrl, retryConfig: options.retryConfig ?? DEFAULT_RETRIES, rejectRateLimitedCalls: true },
  });
  try {
    await bolt.init();
  } catch (err) {
    const refused = (err as { data?: { error?: string } }).data?.error;
    if (refused) throw new ConfigError(`Slack did not accept SLACK_BOT_TOKEN (${refused}). Check the token in .env.`);
    throw new ConfigError(`Could not reach Slack at ${apiUrl.slackApiUrl ?? 'https://slack.com/api/'} (${(err as Error).message}).`);
  }

  const poster = new SlackPoster(bolt.client);
  const replies = new ReplySender(
    poster,
    logger,
    new SlackFileUploader(bolt.client),
    async (channelId, key) => (await delivery.findPosted({ platform: 'slack', channelId }, key, new Date(clock.now().getTime() - THREAD_LOOKBACK_MS)))?.messageId,
  );
  const managers = new ChannelManagers(settings.managers, (user) => bolt.client.users.info({ user }), clock, logger);
  const seen = new RecentKeys(options.dedupeCapacity);

  /** Slack is asked about the member (users.info) only for a command that changes channel settings. */
  const context = async (origin: Origin, workspaceId: string | undefined, text: string, threadPaper?: string): Promise<CommandContext> => ({
    platform: 'slack',
    channelId: origin.channelId,
    userId: origin.userId,
    ...(origin.askedBy ? { userName: origin.askedBy } : {}),
    ...(workspaceId ? { workspaceId } : {}),
    ...(threadPaper ? { threadPaperId: threadPaper } : {}),
    ...(needsPermission(text) ? { canManageChannel: await managers.canManage(origin.userId) } : {}),
  });
  const parseQuietly = (text: string): ParsedCommand | undefined => {
    try {
      return router.parse(text, 'slack');
    } catch {
      // The router answers the mistake itself; it changes nothing, so no permission is needed.
      return undefined;
    }
  };
  const needsPermission = (text: string) => {
    const command = parseQuietly(text);
    return command !== undefined && router.needsPermission(command);
  };
  /** Same rule as on Discord: an answer for the same people replaces the message the button is on. */
  const replacesMessage = (text: string, fromEphemeral: boolean) => {
    const command = parseQuietly(text);
    if (!command || router.find(command.name)?.answersAside) return false;
    const wantsPrivate = router.visibility(command) === 'ephemeral';
    return fromEphemeral ? wantsPrivate : !wantsPrivate && command.flags['page'] !== undefined;
  };

  /** Through inFlight, so a shutdown turns new ones away and finishes these first. */
  const run = async (kind: string, key: string, retryNum: number | undefined, origin: Origin, work: (scoped: Origin) => Promise<void>) => {
    const answering = inFlight.run(() => runNow(kind, key, retryNum, origin, work));
    if (answering !== undefined) await answering;
    else logger.info({ kind, key }, 'slack interaction ignored: shutting down');
  };

  /** Runs one interaction, its log lines carrying its key; a duplicate is skipped, and nothing thrown escapes to Bolt. */
  const runNow = async (kind: string, key: string, retryNum: number | undefined, unscoped: Origin, work: (scoped: Origin) => Promise<void>) => {
    const log = logger.child({ kind, key });
    if (!seen.first(key)) {
      log.info({ retryNum }, 'duplicate slack delivery ignored');
      return;
    }
    const origin: Origin = { ...unscoped, log };
    const started = performance.now();
    try {
      await work(origin);
      log.debug({ ms: Math.round(performance.now() - started) }, 'slack interaction answered');
    } catch (err) {
      log.error({ err }, 'slack interaction failed');
      await replies.privately(renderReply({ visibility: 'ephemeral', blocks: [{ kind: 'text', text: plain(SORRY) }] }), origin);
    }
  };

  bolt.command(/^\/.+/, async ({ ack, body, respond, context: ctx }) => {
    await ack();
    const parsed = SlashCommandBody.safeParse(body);
    if (!parsed.success) return logger.warn({ issues: parsed.error.issues }, 'malformed slash command ignored');
    const cmd = parsed.data;
    const origin: Origin = { channelId: cmd.channel_id, userId: cmd.user_id, respond, ...(cmd.user_name ? { askedBy: cmd.user_name } : {}) };
    await run('command', `trigger:${cmd.trigger_id}`, ctx.retryNum, origin, async (scoped) => {
      const text = unescapeSlack(cmd.text);
      const reply = await router.handle(text, await context(scoped, cmd.team_id, text));
      await replies.send(reply, scoped);
    });
  });

  bolt.action(new RegExp(`^${ACTION_ID_PREFIX}`), async ({ ack, body, respond, context: ctx }) => {
    await ack();
    const parsed = BlockActionsBody.safeParse(body);
    if (!parsed.success) return logger.warn({ issues: parsed.error.issues }, 'malformed button press ignored');
    const press = parsed.data;
    const action = press.actions[0]!;
    const channelId = press.channel?.id ?? press.container?.channel_id;
    if (!channelId || !action.value) return logger.warn({ actionId: action.action_id }, 'button press without channel or value ignored');
    const fromEphemeral = press.container?.is_ephemeral === true || !press.message;
    const threadTs = press.message?.thread_ts ?? press.container?.thread_ts;
    const sourceTs = press.message?.ts ?? press.container?.message_ts;
    const askedBy = press.user.username ?? press.user.name;
    const origin: Origin = {
      channelId,
      userId: press.user.id,
      fromEphemeral,
      replace: press.response_url !== undefined && replacesMessage(action.value, fromEphemeral),
      ...(askedBy ? { askedBy } : {}),
      ...(press.response_url ? { respond } : {}),
      ...(threadTs ? { threadTs } : {}),
      ...(sourceTs ? { sourceTs } : {}),
    };
    await run('button', `trigger:${press.trigger_id}`, ctx.retryNum, origin, async (scoped) => {
      const reply = await router.handle(action.value!, await context(scoped, press.team?.id ?? press.user.team_id, action.value!));
      await replies.send(reply, scoped);
    });
  });

  bolt.event('app_mention', async ({ body, context: ctx }) => {
    const parsed = AppMentionBody.safeParse(body);
    if (!parsed.success) return logger.warn({ issues: parsed.error.issues }, 'malformed app_mention ignored');
    const { event, event_id, team_id } = parsed.data;
    const origin: Origin = { channelId: event.channel, userId: event.user, threadTs: event.thread_ts ?? event.ts };
    await run('mention', `event:${event_id ?? `${event.channel}:${event.ts}`}`, ctx.retryNum, origin, async (scoped) => {
      const paperId = event.thread_ts ? await paperOfThread(event.channel, event.thread_ts, ctx.botId, scoped.log) : undefined;
      const text = mentionCommand(mentionText(event.text, ctx.botUserId), (name) => router.find(name) !== undefined);
      const reply = await router.handle(text, await context(scoped, team_id, text, paperId));
      await replies.send(reply, scoped);
    });
  });

  // A DM with the bot (message.im, scope im:history): a question or a command, answered in the DM.
  bolt.event('message', async ({ body, context: ctx }) => {
    const parsed = DirectMessageBody.safeParse(body);
    if (!parsed.success) return;
    const { event, event_id, team_id } = parsed.data;
    if (event.subtype || event.bot_id || event.user === ctx.botUserId) return;
    const origin: Origin = { channelId: event.channel, userId: event.user, direct: true };
    await run('direct message', `event:${event_id ?? `${event.channel}:${event.ts}`}`, ctx.retryNum, origin, async (scoped) => {
      const text = mentionCommand(mentionText(event.text, ctx.botUserId), (name) => router.find(name) !== undefined);
      const reply = await router.handle(text, await context(scoped, team_id, text));
      await replies.send(reply, scoped);
    });
  });

  /** Reads the thread back from Slack; unknown (and logged) when Slack will not say. */
  async function paperOfThread(channel: string, threadTs: string, botId: string | undefined, log = logger): Promise<string | undefined> {
    try {
      const replies = ThreadReplies.parse(await bolt.client.conversations.replies({ channel, ts: threadTs, limit: 200 }));
      return threadPaperId(replies.messages, botId);
    } catch (err) {
      log.warn({ err, channel, threadTs }, 'could not read the thread to find its paper');
      return undefined;
    }
  }

  listenForReactions(bolt, deps, logger);

  // Last line of defence: Bolt reports listener and middleware errors here instead of crashing.
  bolt.error(async (error) => {
    logger.error({ err: error }, 'bolt error');
  });

  const started = await startReceiver(bolt, mode, options.listen ?? { port: slack.kind === 'http' ? slack.port : undefined });
  if (mode === 'http') limitSlowHeaders(started as Server, bodyLimits);
  const address = mode === 'http' ? (started as Server).address() : null;
  const port = address && typeof address === 'object' ? address.port : undefined;
  logger.info({ mode, port }, mode === 'socket' ? 'slack connected over Socket Mode' : 'slack listening at /slack/events');

  return {
    ...(port !== undefined ? { port } : {}),
    connected: () => (receiver instanceof SocketModeReceiver ? receiver.client.websocket?.isActive() === true : (started as Server).listening),
    stop: async () => {
      const closed = bolt.stop();
      // Waits for requests being received; one still arriving after a moment is a slow sender, not Slack: cut it.
      const server = mode === 'http' ? (started as Server) : undefined;
      const cut = server ? setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS) : undefined;
      await closed.finally(() => clearTimeout(cut));
    },
  };
}

/** Starts listening; what stops it (a taken port, a refused app token) becomes a message to act on. */
async function startReceiver(bolt: BoltApp, mode: 'http' | 'socket', listen: ListenOptions): Promise<unknown> {
  try {
    return mode === 'socket' ? await bolt.start() : await bolt.start(listen);
  } catch (err) {
    const e = err as { code?: string; data?: { error?: string }; message?: string };
    if (e.code === 'EADDRINUSE') throw new ConfigError(`SLACK_PORT ${listen.port} is already in use. Stop the other process or pick another port.`);
    if (e.data?.error) throw new ConfigError(`Slack did not accept SLACK_APP_TOKEN (${e.data.error}). Check the app-level token (xapp-…, scope connections:write) in .env.`);
    throw new ConfigError(`The Slack ${mode === 'socket' ? 'Socket Mode connection' : 'HTTP receiver'} did not start (${e.message ?? String(err)}).`);
  }
}
