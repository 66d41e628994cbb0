/** Reading a message the bot sent to the fake Slack the way a user would see it. */
export type SentBlocks = Record<string, unknown>;

type Block = { type: string; block_id?: string; text?: { text: string }; elements?: Array<{ text?: { text: string } | string; value?: string }> };

export function blocksOf(message: SentBlocks): Block[] {
  return (message['blocks'] as Block[] | undefined) ?? [];
}

export function headerOf(message: SentBlocks): string | undefined {
  return blocksOf(message).find((b) => b.type === 'header')?.text?.text;
}

export function sectionTexts(message: SentBlocks): string[] {
  return blocksOf(message).flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));
}

export function contextTexts(message: SentBlocks): string[] {
  return blocksOf(message).flatMap((b) => (b.type === 'context' ? (b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : '')) : []));
}

/** Paper ids marked on the blocks (block_id `paper:<id>`), in order. */
export function paperIdsOf(message: SentBlocks): string[] {
  return blocksOf(message).flatMap((b) => (b.block_id?.startsWith('paper:') ? [b.block_id.slice('paper:'.length).split(':')[0]!] : []));
}

export function buttonsOf(message: SentBlocks): Array<{ label: string; value: string }> {
  return blocksOf(message)
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements ?? []).map((e) => ({ label: typeof e.text === 'object' ? e.text.text : '', value: e.value ?? '' })));
}
