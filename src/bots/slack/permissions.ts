import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import { UserInfo } from './payloads.js';

const CACHE_MS = 5 * 60_000;
const CACHE_SIZE = 1000;

type UsersInfo = (userId: string) => Promise<unknown>;

/**
 * Whether a user may change a channel's subscriptions and watches, per
 * SLACK_SUBSCRIPTION_MANAGERS: workspace admins and owners (users.info), or anyone. The
 * "user who subscribed" rule needs the store, so the subscribe command applies it itself.
 * Answers are cached briefly so a burst of commands costs one API call.
 */
export class ChannelManagers {
  private readonly cache = new Map<string, { admin: boolean; at: number }>();

  constructor(
    private readonly policy: Config['SLACK_SUBSCRIPTION_MANAGERS'],
    private readonly usersInfo: UsersInfo,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async canManage(userId: string): Promise<boolean> {
    if (this.policy === 'anyone') return true;
    return this.isAdmin(userId);
  }

  private async isAdmin(userId: string): Promise<boolean> {
    const now = this.clock.now().getTime();
    const cached = this.cache.get(userId);
    if (cached && now - cached.at < CACHE_MS) return cached.admin;
    try {
      const { user } = UserInfo.parse(await this.usersInfo(userId));
      const admin = user.is_admin === true || user.is_owner === true || user.is_primary_owner === true;
      this.cache.delete(userId);
      this.cache.set(userId, { admin, at: now });
      if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
      return admin;
    } catch (err) {
      // Unknown means "not allowed": a settings change can wait, a wrong grant cannot be undone.
      this.logger.warn({ err, userId }, 'users.info failed; treating the user as not a channel manager');
      return false;
    }
  }
}
