import type { Server } from 'node:http';
import type { ListenOptions } from 'node:net';
import { App as BoltApp, HTTPReceiver, SocketModeReceiver, type webApi } from '@slack/bolt';
import type { App } from '../../app.js';
import type { CommandContext, ParsedCommand } from '../../commands/command.js';
import type { Delivery } from '../../model/delivery.js';
import { ConfigError } from '../../model/errors.js';
import { plain } from '../../model/reply.js';
import { Answerer, THREAD_LOOKBACK_MS, type Origin } from './answer.js';
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
  /** Where the HTTP receiver listens; SLACK_PORT on every interface unless given. */
  listen?: ListenOptions;
  /** Web API retries on 5xx and network errors; a couple of quick ones by default. */
  retryConfig?: webApi.RetryOptions;
  /** How many delivery keys to remember against Slack's retries. */
  dedupeCapacity?: number;
  /** HTTP mode: the largest body read, and how long one may take to arrive. */
  bodyLimits?: Partial<BodyLimits>;
}

export interface SlackBot {
  mode: 'http' | 'socket';
  /** The HTTP receiver's port (tests listen on port 0 and read it here). */
  port?: number;
  /** For the scheduler: posts into Slack channels with this bot's token. */
  delivery: Delivery;
  /** The receiver listens (HTTP) or the socket is open (Socket Mode); for the health endpoint. */
  connected(): boolean;
  /** Closes the receiver or the socket; the Web API client keeps working for answers still being sent. */
  stop(): Promise<void>;
}

const DEFAULT_RETRIES: webApi.RetryOptions = { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 3000 };
/** How long stopping the HTTP receiver waits for a request still being received. */
const STOP_GRACE_MS = 1000;
const SORRY = 'Sorry, something went wrong on my side. The error has been logged; please try again.';

/**
 * Starts the Slack adapter over the real Bolt App: Socket Mode when SLACK_APP_TOKEN is set,
 * otherwise the HTTP receiver (signing-secret verification) on SLACK_PORT at /slack/events.
 * It maps `/paper`, buttons and mentions to the shared router and renders its replies.
 */
export async function startSlack(app: App, options: SlackBotOptions = {}): Promise<SlackBot> {
  const { config } = app;
  const token = config.SLACK_BOT_TOKEN;
  if (!token) throw new ConfigError('SLACK_BOT_TOKEN is not set, so the Slack adapter cannot start.');
  const logger = app.logger.child({ platform: 'slack' });
  const boltLog = boltLogger(logger);
  const slackApiUrl = config.SLACK_API_URL ? config.SLACK_API_URL.replace(/\/?$/, '/') : undefined;
  const apiUrl = slackApiUrl ? { slackApiUrl } : {};
  const slack = config.slack;
  if (!slack) throw new ConfigError('SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is not set, so the Slack adapter cannot start.');
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
    throw new ConfigError(`Could not reach Slack at ${slackApiUrl ?? 'https://slack.com/api/'} (${(err as Error).message}).`);
  }

  const poster = new SlackPoster(bolt.client);
  // Scheduled posts use a client of their own that never retries blindly (see deliveryClient).
  const delivery = new SlackDelivery(deliveryClient(token, { ...apiUrl, logger: boltLog }));
  const answerer = new Answerer(poster, logger, new SlackFileUploader(bolt.client), async (channelId, key) => (await delivery.findPosted({ platform: 'slack', channelId }, key, new Date(app.clock.now().getTime() - THREAD_LOOKBACK_MS)))?.messageId);
  const managers = new ChannelManagers(config.SLACK_SUBSCRIPTION_MANAGERS, (user) => bolt.client.users.info({ user }), app.clock, logger);
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
      return app.router.parse(text, 'slack');
    } catch {
      // The router answers the mistake itself; it changes nothing, so no permission is needed.
      return undefined;
    }
  };
  const needsPermission = (text: string) => {
    const command = parseQuietly(text);
    return command !== undefined && app.router.needsPermission(command);
  };
  /** Same rule as on Discord: an answer for the same people replaces the message the button is on. */
  const replacesMessage = (text: string, fromEphemeral: boolean) => {
    const command = parseQuietly(text);
    if (!command || app.router.find(command.name)?.answersAside) return false;
    const wantsPrivate = app.router.visibility(command) === 'ephemeral';
    return fromEphemeral ? wantsPrivate : !wantsPrivate && command.flags['page'] !== undefined;
  };

  /** Through app.inFlight, so a shutdown turns new ones away and finishes these first. */
  const run = async (kind: string, key: string, retryNum: number | undefined, origin: Origin, work: (scoped: Origin) => Promise<void>) => {
    const answering = app.inFlight.run(() => runNow(kind, key, retryNum, origin, work));
    if (answering) await answering;
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
      await answerer.privately(renderReply({ visibility: 'ephemeral', blocks: [{ kind: 'text', text: plain(SORRY) }] }), origin);
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
      const reply = await app.router.handle(text, await context(scoped, cmd.team_id, text));
      await answerer.answer(reply, scoped);
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
      const reply = await app.router.handle(action.value!, await context(scoped, press.team?.id ?? press.user.team_id, action.value!));
      await answerer.answer(reply, scoped);
    });
  });

  bolt.event('app_mention', async ({ body, context: ctx }) => {
    const parsed = AppMentionBody.safeParse(body);
    if (!parsed.success) return logger.warn({ issues: parsed.error.issues }, 'malformed app_mention ignored');
    const { event, event_id, team_id } = parsed.data;
    const origin: Origin = { channelId: event.channel, userId: event.user, threadTs: event.thread_ts ?? event.ts };
    await run('mention', `event:${event_id ?? `${event.channel}:${event.ts}`}`, ctx.retryNum, origin, async (scoped) => {
      const paperId = event.thread_ts ? await paperOfThread(event.channel, event.thread_ts, ctx.botId, scoped.log) : undefined;
      const text = mentionCommand(mentionText(event.text, ctx.botUserId), (name) => app.router.find(name) !== undefined);
      const reply = await app.router.handle(text, await context(scoped, team_id, text, paperId));
      await answerer.answer(reply, scoped);
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
      const text = mentionCommand(mentionText(event.text, ctx.botUserId), (name) => app.router.find(name) !== undefined);
      const reply = await app.router.handle(text, await context(scoped, team_id, text));
      await answerer.answer(reply, scoped);
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

  listenForReactions(bolt, app, logger);

  // Last line of defence: Bolt reports listener and middleware errors here instead of crashing.
  bolt.error(async (error) => {
    logger.error({ err: error }, 'bolt error');
  });

  const started = await startReceiver(bolt, mode, options.listen ?? { port: config.SLACK_PORT });
  if (mode === 'http') limitSlowHeaders(started as Server, bodyLimits);
  const address = mode === 'http' ? (started as Server).address() : null;
  const port = address && typeof address === 'object' ? address.port : undefined;
  logger.info({ mode, port }, mode === 'socket' ? 'slack connected over Socket Mode' : 'slack listening at /slack/events');

  return {
    mode,
    ...(port !== undefined ? { port } : {}),
    delivery,
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
