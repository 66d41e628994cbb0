import type { Platform } from '../model/delivery.js';
import type { ChannelKey } from './types.js';

/** Column values of a channel key, as every table stores it. */
export function channelParams(c: ChannelKey): { platform: string; workspace_id: string; channel_id: string } {
  return { platform: c.platform, workspace_id: c.workspaceId, channel_id: c.channelId };
}

export interface ChannelRow {
  platform: string;
  workspace_id: string;
  channel_id: string;
}

export function channelFromRow(row: ChannelRow): ChannelKey {
  return { platform: row.platform as Platform, workspaceId: row.workspace_id, channelId: row.channel_id };
}

export const CHANNEL_WHERE = 'platform = @platform AND workspace_id = @workspace_id AND channel_id = @channel_id';

export function optionalDate(value: string | null | undefined): Date | undefined {
  return value ? new Date(value) : undefined;
}
