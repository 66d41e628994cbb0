import type { Paper } from '../model/paper.js';
import type { Block, Reply } from '../model/reply.js';
import { paperCard } from './cards.js';
import { commandText } from './commandText.js';
import { countForm, plural } from '../text/plural.js';

/** Cards shown in one alert; the rest are one search away. */
const SHOWN = 5;

/** A short alert: which watch fired, the new papers that match it and, under each, which of its rules matched. */
export function buildAlert(query: string, papers: readonly Paper[], reasons?: (paper: Paper) => string[] | undefined): Reply {
  const blocks: Block[] = [
    { kind: 'heading', text: `New papers for “${query}”` },
    { kind: 'context', text: `${plural(papers.length, 'paper')} new to the library ${countForm(papers.length, 'matches', 'match')} this channel's watch.` },
  ];
  for (const paper of papers.slice(0, SHOWN)) {
    blocks.push({ kind: 'paper', card: paperCard(paper) });
    const why = reasons?.(paper);
    if (why?.length) blocks.push({ kind: 'context', text: `Matched: ${why.join(' · ')}` });
    blocks.push({ kind: 'actions', buttons: [{ label: 'Save', command: `save ${paper.id}` }] });
  }
  if (papers.length > SHOWN) blocks.push({ kind: 'actions', buttons: [{ label: 'All matches', command: commandText('watches', query) }] });
  return { visibility: 'channel', blocks };
}
