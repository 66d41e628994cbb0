import type { webApi } from '@slack/bolt';
import { DeliveryError } from '../../model/delivery.js';
import type { Attachment } from '../../model/reply.js';
import { toDeliveryError } from './delivery.js';
import { LIMITS } from './limits.js';

type WebClient = InstanceType<typeof webApi.WebClient>;

/**
 * Slack's external upload flow (docs.slack.dev/messaging/working-with-files): ask for an upload
 * URL (files.getUploadURLExternal), send the bytes there, then share the file in a conversation
 * (files.completeUploadExternal). Files cannot be ephemeral, so a member's file goes to their
 * direct messages with the bot, where only they see it.
 */
export class SlackFileUploader {
  constructor(
    private readonly client: WebClient,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  /** Shares the file in the member's DM with the bot (`dmChannel` when already in one); returns that channel. */
  async sendToMember(userId: string, attachment: Attachment, comment: string, dmChannel?: string): Promise<string> {
    if (attachment.bytes.length > LIMITS.fileBytes) {
      throw new DeliveryError('forbidden', `The file is larger than Slack's ${LIMITS.fileBytes / 1024 ** 3} GB upload limit; export a shorter list.`);
    }
    try {
      const channel = dmChannel ?? (await this.client.conversations.open({ users: userId })).channel?.id;
      if (!channel) throw new DeliveryError('transient', 'Slack did not open a direct message with you. Try again in a moment.');
      const { upload_url: uploadUrl, file_id: fileId } = await this.client.files.getUploadURLExternal({ filename: attachment.name, length: attachment.bytes.length });
      if (!uploadUrl || !fileId) throw new DeliveryError('transient', 'Slack did not give an upload address for the file. Try again in a moment.');
      const sent = await this.fetchFn(uploadUrl, { method: 'POST', headers: { 'Content-Type': attachment.mimeType }, body: attachment.bytes });
      if (!sent.ok) throw new DeliveryError('transient', `Slack did not take the file (HTTP ${sent.status}). Try again in a moment.`);
      await this.client.files.completeUploadExternal({ files: [{ id: fileId, title: attachment.name }], channel_id: channel, initial_comment: comment });
      return channel;
    } catch (err) {
      throw toDeliveryError(err);
    }
  }
}
