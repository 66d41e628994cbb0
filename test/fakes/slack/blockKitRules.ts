/**
 * The Block Kit rules Slack enforces on a message, as the fake checks them: a message breaking
 * one is refused with `invalid_blocks` (or `msg_too_long`), as Slack does.
 * Limits from https://docs.slack.dev/reference/block-kit/blocks.
 */
type Json = Record<string, unknown>;

export function blockKitProblem(message: Json): string | undefined {
  const text = message['text'];
  const blocks = message['blocks'];
  if (typeof text === 'string' && text.length > 40_000) return 'msg_too_long';
  if (blocks === undefined) return typeof text === 'string' && text.length > 0 ? undefined : 'no_text';
  if (!Array.isArray(blocks)) return 'invalid_blocks_format';
  if (blocks.length > 50) return 'invalid_blocks: more than 50 blocks';
  if (JSON.stringify(blocks).length > 40_000) return 'msg_too_long';
  const blockIds = new Set<string>();
  const actionIds = new Set<string>();
  for (const [i, b] of (blocks as Json[]).entries()) {
    const at = `block ${i} (${String(b['type'])})`;
    const blockId = b['block_id'];
    if (blockId !== undefined) {
      if (typeof blockId !== 'string' || blockId.length === 0 || blockId.length > 255) return `invalid_blocks: ${at} block_id`;
      if (blockIds.has(blockId)) return `invalid_blocks: ${at} duplicate block_id ${blockId}`;
      blockIds.add(blockId);
    }
    const problem = blockProblem(b, actionIds);
    if (problem) return `invalid_blocks: ${at} ${problem}`;
  }
  return undefined;
}

function blockProblem(b: Json, actionIds: Set<string>): string | undefined {
  switch (b['type']) {
    case 'header':
      return textProblem(b['text'], 150, 'plain_text');
    case 'section':
      return textProblem(b['text'], 3000);
    case 'context': {
      const elements = b['elements'];
      if (!Array.isArray(elements) || elements.length === 0 || elements.length > 10) return 'context needs 1-10 elements';
      for (const e of elements as Json[]) {
        const p = textProblem(e, 3000);
        if (p) return p;
      }
      return undefined;
    }
    case 'actions': {
      const elements = b['elements'];
      if (!Array.isArray(elements) || elements.length === 0 || elements.length > 25) return 'actions needs 1-25 elements';
      for (const e of elements as Json[]) {
        if (e['type'] !== 'button') return `unexpected element ${String(e['type'])}`;
        const p = textProblem(e['text'], 75, 'plain_text');
        if (p) return `button text: ${p}`;
        const value = e['value'];
        if (typeof value === 'string' && value.length > 2000) return 'button value over 2000 characters';
        const actionId = e['action_id'];
        if (typeof actionId !== 'string' || actionId.length > 255) return 'bad action_id';
        if (actionIds.has(actionId)) return `duplicate action_id ${actionId}`;
        actionIds.add(actionId);
        if (e['style'] !== undefined && e['style'] !== 'primary' && e['style'] !== 'danger') return 'bad button style';
      }
      return undefined;
    }
    default:
      return `unknown block type ${String(b['type'])}`;
  }
}

function textProblem(t: unknown, max: number, only?: 'plain_text'): string | undefined {
  if (typeof t !== 'object' || t === null) return 'missing text object';
  const { type, text } = t as Json;
  if (type !== 'plain_text' && type !== 'mrkdwn') return `bad text type ${String(type)}`;
  if (only && type !== only) return `must be ${only}`;
  if (typeof text !== 'string' || text.length === 0) return 'empty text';
  if (text.length > max) return `text of ${text.length} characters, over ${max}`;
  return undefined;
}
