import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Slack's external file upload, as docs.slack.dev/messaging/working-with-files describes it, kept
 * apart from the message routes: files.getUploadURLExternal hands out an upload URL and a file
 * id, the bytes are POSTed to that URL, and files.completeUploadExternal shares the file in a
 * conversation. conversations.open gives the bot's DM with a member (a D… channel).
 */
export interface FakeFile {
  id: string;
  filename: string;
  /** The length getUploadURLExternal was told. */
  length: number;
  bytes?: Buffer;
  title?: string;
  /** Where completeUploadExternal shared it. */
  channel?: string;
  initialComment?: string;
}

type Answer = Record<string, unknown>;

export class FakeFileUploads {
  readonly files = new Map<string, FakeFile>();
  private nextId = 1;

  constructor(private readonly baseUrl: () => string) {}

  /** Whether the request is an upload to a URL handed out by getUploadURLExternal. */
  handlesPath(path: string): boolean {
    return path.startsWith('/upload/');
  }

  /** Takes the file's bytes; like Slack, an upload of a length other than the one announced fails. */
  async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const file = this.files.get(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice('/upload/'.length)));
    if (req.method !== 'POST' || !file) return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    if (file.bytes || bytes.length !== file.length) return void res.writeHead(400, { 'Content-Type': 'text/plain' }).end(`expected ${file.length} bytes, got ${bytes.length}`);
    file.bytes = bytes;
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`OK - ${bytes.length}`);
  }

  /** The Web API methods of the flow; undefined for any other method. */
  answer(method: string, args: Record<string, unknown>): Answer | undefined {
    switch (method) {
      case 'conversations.open': {
        const user = String(args['users'] ?? '');
        if (!/^[UW][A-Z0-9]+$/.test(user)) return { ok: false, error: 'user_not_found' };
        return { ok: true, channel: { id: `D${user.slice(1)}` } };
      }
      case 'files.getUploadURLExternal': {
        const length = Number(args['length']);
        const filename = String(args['filename'] ?? '');
        if (!filename || !Number.isInteger(length) || length < 1) return { ok: false, error: 'invalid_arguments' };
        const id = `F${String(this.nextId++).padStart(8, '0')}`;
        this.files.set(id, { id, filename, length });
        return { ok: true, upload_url: `${this.baseUrl()}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const list = (typeof args['files'] === 'string' ? JSON.parse(args['files']) : args['files']) as Array<{ id: string; title?: string }> | undefined;
        if (!Array.isArray(list) || list.length === 0) return { ok: false, error: 'invalid_arguments' };
        const done: FakeFile[] = [];
        for (const entry of list) {
          const file = this.files.get(entry.id);
          // A file whose bytes never arrived cannot be completed.
          if (!file?.bytes) return { ok: false, error: 'file_not_found' };
          if (entry.title) file.title = entry.title;
          if (args['channel_id']) file.channel = String(args['channel_id']);
          if (args['initial_comment']) file.initialComment = String(args['initial_comment']);
          done.push(file);
        }
        return { ok: true, files: done.map((f) => ({ id: f.id, name: f.filename, title: f.title ?? f.filename, size: f.length })) };
      }
      default:
        return undefined;
    }
  }

  /** Files shared in a conversation, in upload order. */
  sharedIn(channel: string): FakeFile[] {
    return [...this.files.values()].filter((f) => f.channel === channel);
  }
}
