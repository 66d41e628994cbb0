import type { IncomingHttpHeaders } from 'node:http';
import type { Json } from './fakeDiscord.js';

/**
 * File uploads as Discord takes them (https://discord.com/developers/docs/reference#uploading-files):
 * a multipart/form-data body with the JSON in `payload_json` and each file in `files[n]`; the
 * JSON's `attachments` array names each upload by its `id` n. Kept apart from the message routes:
 * the fake turns the upload into the JSON body it already handles, with attachment objects.
 */

/** Discord's upload limit for a bot in a server without boosts (10 MiB, all files of one request). */
export const UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024;

export interface UploadedFile {
  id: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export type UploadResult = { body: Json; files: UploadedFile[] } | { tooLarge: true } | { invalid: string };

export function isMultipart(headers: IncomingHttpHeaders): boolean {
  return /^multipart\/form-data/i.test(headers['content-type'] ?? '');
}

/** Parses the form with the platform's own FormData parser, then checks the body against Discord's rules. */
export async function readUpload(headers: IncomingHttpHeaders, raw: Buffer, newId: () => string): Promise<UploadResult> {
  if (raw.length > UPLOAD_LIMIT_BYTES) return { tooLarge: true };
  const form = await new Response(raw, { headers: { 'content-type': headers['content-type']! } }).formData();
  const payload = form.get('payload_json');
  const body: Json = typeof payload === 'string' ? (JSON.parse(payload) as Json) : {};
  const files: UploadedFile[] = [];
  const named = new Map<string, Json>();
  const message: Json = body.data ?? body;
  for (const a of (message.attachments ?? []) as Json[]) named.set(String(a.id), a);
  for (const [key, value] of form.entries()) {
    const m = /^files\[(\d+)\]$/.exec(key);
    if (!m) {
      if (key !== 'payload_json') return { invalid: `unexpected form field ${key}` };
      continue;
    }
    if (typeof value === 'string') return { invalid: `${key} is not a file` };
    const meta = named.get(m[1]!);
    files.push({ id: newId(), filename: meta?.filename ?? value.name, contentType: value.type || 'application/octet-stream', bytes: Buffer.from(await value.arrayBuffer()) });
  }
  message.attachments = files.map(attachmentObject);
  return { body, files };
}

/** The attachment object a message carries (https://discord.com/developers/docs/resources/message#attachment-object). */
function attachmentObject(file: UploadedFile): Json {
  const url = `https://cdn.discordapp.com/attachments/fake/${file.id}/${encodeURIComponent(file.filename)}`;
  return { id: file.id, filename: file.filename, size: file.bytes.length, content_type: file.contentType, url, proxy_url: url };
}
