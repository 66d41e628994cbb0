import { z } from 'zod';
import { loadConfig, loadDotEnv } from '../../config.js';
import { ConfigError, PaperbotError } from '../../model/errors.js';
import { registerCommands } from './slashCommands.js';

/**
 * `npm run discord:register -- [--guild <id>]`: registers /paper. Guild commands appear at once
 * (good while iterating); global ones reach every server the bot is in, within about an hour.
 */
const Args = z.union([z.tuple([]), z.tuple([z.literal('--guild'), z.string().regex(/^\d{17,20}$/, '--guild takes a server id (17-20 digits)')])]);

async function main(argv: string[]): Promise<void> {
  const args = Args.safeParse(argv);
  if (!args.success) throw new ConfigError(`Usage: npm run discord:register -- [--guild <server id>]\n${args.error.issues.map((i) => i.message).join('\n')}`);
  loadDotEnv();
  const config = loadConfig();
  if (!config.DISCORD_TOKEN || !config.DISCORD_APPLICATION_ID) throw new ConfigError('Set DISCORD_TOKEN and DISCORD_APPLICATION_ID (see .env.example) before registering commands.');
  const guildId = args.data[1] ?? config.DISCORD_GUILD_ID;
  const result = await registerCommands({ token: config.DISCORD_TOKEN, applicationId: config.DISCORD_APPLICATION_ID, guildId, apiUrl: config.DISCORD_API_URL });
  process.stdout.write(`Registered /${result.names.join(', /')} for ${result.scope}.\n`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof PaperbotError ? err.userMessage : `Registration failed: ${err instanceof Error ? err.message : String(err)}`}\n`);
  process.exit(1);
});
