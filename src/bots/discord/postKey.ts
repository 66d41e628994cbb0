import { createHash } from 'node:crypto';
import type { APIEmbed, APIMessage } from 'discord.js';
import { LIMITS } from './limits.js';

/**
 * A scheduled post's key as Discord sees it. Create Message takes a `nonce` of at most 25
 * characters, and with `enforce_nonce` a repeat within "the past few minutes" returns the first
 * message instead of posting again (https://discord.com/developers/docs/resources/message#create-message).
 * Keys are longer than that, so the nonce is a short hash of the key; the same hash, shown as
 * `ref …` in the last embed's footer (or as a subtext line), lets a later search of the channel
 * recognise the post, since listed messages do not carry their nonce.
 */
export function nonceOf(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

const marker = (nonce: string) => `ref ${nonce}`;
const SEPARATOR = ' · ';

/** The message body with the key's nonce, dedupe enforced, and its marker. */
export function keyedBody(body: Record<string, unknown>, key: string): Record<string, unknown> {
  const nonce = nonceOf(key);
  const tag = marker(nonce);
  const embeds = (body['embeds'] as APIEmbed[] | undefined) ?? [];
  const keyed: Record<string, unknown> = { ...body, nonce, enforce_nonce: true };
  const last = embeds.at(-1);
  const footer = last?.footer?.text ? `${last.footer.text}${SEPARATOR}${tag}` : tag;
  const total = embeds.reduce((n, e) => n + embedLength(e), 0) - (last?.footer?.text.length ?? 0) + footer.length;
  if (last && footer.length <= LIMITS.footer && total <= LIMITS.embedsTotal) {
    keyed['embeds'] = [...embeds.slice(0, -1), { ...last, footer: { ...last.footer, text: footer } }];
  } else {
    const content = String(body['content'] ?? '');
    const line = `-# ${tag}`;
    keyed['content'] = content ? `${content.slice(0, LIMITS.content - line.length - 1)}\n${line}` : line;
  }
  return keyed;
}

/** Whether a listed message is the post made under `key`. */
export function carriesKey(message: APIMessage, key: string): boolean {
  const tag = marker(nonceOf(key));
  const footer = message.embeds.at(-1)?.footer?.text ?? '';
  return footer === tag || footer.endsWith(SEPARATOR + tag) || message.content.split('\n').at(-1) === `-# ${tag}`;
}

function embedLength(e: APIEmbed): number {
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
}
