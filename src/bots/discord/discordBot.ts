import { once } from 'node:events';
import { Client, DiscordjsError, DiscordjsErrorCodes, Events, GatewayIntentBits, Partials, RESTEvents, Status, type Interaction, type RESTOptions } from 'discord.js';
import type { DiscordSettings } from '../../config.js';
import type { Logger } from '../../logger.js';
import { ConfigError } from '../../model/errors.js';
import type { AdapterDeps, PlatformAdapter } from '../platform.js';
import { DiscordDelivery, deliveryRest } from './delivery.js';
import { answerWithError, onAutocomplete, onButton, onChatInput, type InteractionDeps } from './interactions.js';
import { onMessage } from './mentions.js';
import { listenForReactions } from './reactions.js';

export interface DiscordBotOptions {
  /** When a command has not answered after this long, the interaction is deferred (Discord allows 3 s). */
  deferAfterMs?: number;
  rest?: Partial<RESTOptions>;
}

/** Close codes after which discord.js gives up: a setup problem the admin must fix. */
const SETUP_CLOSE_CODES: Readonly<Record<number, string>> = {
  4004: 'Discord rejected DISCORD_TOKEN. Copy the bot token again from the Developer Portal (Bot → Reset Token).',
  4014: 'Discord refused the Message Content intent. Enable it in the Developer Portal (Bot → Privileged Gateway Intents).',
};

/**
 * The Discord adapter: a discord.js Client whose events go to the shared router. `start` logs in
 * and waits until the gateway is ready; from then on no platform error crashes the process.
 * DiscordSettings.apiUrl is the REST base (a fake on 127.0.0.1 in tests); the gateway URL comes from its /gateway/bot.
 */
export interface DiscordAdapter extends PlatformAdapter {
  /** The discord.js Client (tests look into its cache). */
  readonly client: Client;
}

export function createDiscordAdapter(deps: AdapterDeps, settings: DiscordSettings, options: DiscordBotOptions = {}): DiscordAdapter {
  const logger = deps.logger.child({ platform: 'discord' });
  const rest: Partial<RESTOptions> = { ...(settings.apiUrl ? { api: settings.apiUrl } : {}), ...options.rest };
  const client = new Client({
    // Message Content lets follow-ups in a paper thread be read without mentioning the bot;
    // DMs arrive on a channel discord.js has not cached, hence the Channel partial; reactions on
    // posts from before this process started on a message (and by a user) it never cached.
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent, GatewayIntentBits.DirectMessages, GatewayIntentBits.GuildMessageReactions],
    partials: [Partials.Channel, Partials.Message, Partials.Reaction, Partials.User],
    allowedMentions: { parse: [] },
    rest,
  });
  const chat: InteractionDeps = {
    router: deps.router,
    suggest: deps.suggest,
    logger,
    rest: client.rest,
    botId: () => client.user?.id ?? '',
    deferAfterMs: options.deferAfterMs ?? 1500,
  };

  // Through inFlight: at shutdown new events are turned away and these are answered first.
  client.on(Events.InteractionCreate, (interaction) => {
    if (!deps.inFlight.run(() => handleInteraction(interaction, chat))) logger.info({ interaction: interaction.id }, 'discord interaction ignored: shutting down');
  });
  client.on(Events.MessageCreate, (message) => {
    const scoped = withLogger(chat, logger.child({ message: message.id }));
    void deps.inFlight.run(() => onMessage(message, scoped).catch((err: unknown) => scoped.logger.error({ err, channel: message.channelId }, 'discord mention failed')));
  });
  listenForReactions(client, deps, logger);
  client.on(Events.Error, (err) => logger.error({ err }, 'discord client error'));
  client.on(Events.ShardError, (err, shard) => logger.warn({ err, shard }, 'discord gateway error; reconnecting'));
  client.on(Events.ShardResume, (shard, replayed) => logger.info({ shard, replayed }, 'discord gateway resumed'));
  client.on(Events.ShardDisconnect, (event, shard) => {
    const hint = SETUP_CLOSE_CODES[event.code];
    logger.error({ code: event.code, shard }, hint ?? 'discord gateway closed for good');
  });
  client.rest.on(RESTEvents.RateLimited, (info) => logger.warn({ route: info.route, retryAfterMs: info.retryAfter, global: info.global }, 'discord rate limit: request queued'));
  // An unexpected 429 (no bucket known yet) is retried by the REST queue without a RateLimited event.
  client.rest.on(RESTEvents.Response, (request, response) => {
    if (response.status === 429) logger.warn({ route: request.route, retryAfter: response.headers.get('retry-after') }, 'discord rate limit: request queued');
    else if (response.status >= 500) logger.warn({ route: request.route, status: response.status, retries: request.retries }, 'discord server error: retrying');
  });

  // The manager's own status stays Ready through reconnects: the shards tell.
  const connected = () => client.ws.shards.size > 0 && client.ws.shards.every((shard) => shard.status === Status.Ready);
  return {
    name: 'discord',
    client,
    delivery: new DiscordDelivery(deliveryRest(settings.token, rest)),
    // Closed last: answers still being sent need the client's REST token, which destroying it clears.
    stopsAt: { phase: 'disconnect', what: 'discord gateway' },
    start: () => logIn(client, settings.token, logger),
    stop: () => client.destroy(),
    connected,
  };
}

async function logIn(client: Client, token: string, logger: Logger): Promise<void> {
  try {
    const ready = once(client, Events.ClientReady);
    await client.login(token);
    await ready;
  } catch (err) {
    await client.destroy();
    const rejected = err instanceof DiscordjsError && (err.code === DiscordjsErrorCodes.TokenInvalid || err.code === DiscordjsErrorCodes.TokenMissing);
    const hint = rejected ? SETUP_CLOSE_CODES[4004]! : `Could not connect to Discord: ${err instanceof Error ? err.message : String(err)}`;
    throw new ConfigError(hint);
  }
  logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'discord bot ready');
}

/** The deps of one event, whose log lines all carry its id. */
function withLogger(deps: InteractionDeps, logger: Logger): InteractionDeps {
  return { ...deps, logger };
}

async function handleInteraction(interaction: Interaction, all: InteractionDeps): Promise<void> {
  const deps = withLogger(all, all.logger.child({ interaction: interaction.id }));
  const { logger } = deps;
  try {
    if (interaction.isChatInputCommand()) await onChatInput(interaction, deps);
    else if (interaction.isButton()) await onButton(interaction, deps);
    else if (interaction.isAutocomplete()) await onAutocomplete(interaction, deps);
  } catch (err) {
    logger.error({ err, type: interaction.type }, 'discord interaction failed');
    if (interaction.isChatInputCommand() || interaction.isButton()) {
      await answerWithError(interaction, err, deps).catch((again: unknown) => logger.warn({ err: again }, 'could not tell the user about the failure'));
    } else if (interaction.isAutocomplete() && !interaction.responded) {
      await interaction.respond([]).catch(() => undefined);
    }
  }
}
