import { plain, type Block } from '../model/reply.js';
import type { PaperTaste } from '../store/signalRepo.js';
import { assertCanManage, channelOf, type ManagerPolicy } from './channelAccess.js';
import type { Command, CommandDeclaration } from './command.js';
import { exampleText } from './options.js';
import { RECOMMEND, recommendCommand, type TasteServices } from './recommend.js';

export const TASTE: CommandDeclaration = {
  name: 'taste',
  summary: "This channel's 👍, 👎 and saves that recommend ranks by; reset clears them (managers).",
  examples: ['taste', 'taste reset'],
  options: [{ name: 'action', kind: 'text', positional: true, choices: ['show', 'reset'], placeholder: 'action', description: 'show (default) or reset (clears the signals; managers only)' }],
  visibility: 'ephemeral',
  managesChannel: (command) => command.args === 'reset',
};

/** Papers each list of the taste shows. */
const SHOWN = 10;

export function tasteCommand({ store, slackManagers }: Pick<TasteServices, 'store'> & { slackManagers: ManagerPolicy }): Command {
  return {
    ...TASTE,
    run(command, context) {
      const channel = channelOf(context);
      if (command.args === 'reset') {
        const sub = store.subscriptions.get(channel);
        assertCanManage(context, slackManagers, [sub?.subscribedBy], false, "clear this channel's taste");
        const cleared = store.signals.reset(channel);
        return {
          visibility: 'ephemeral',
          blocks: [
            { kind: 'heading', text: cleared > 0 ? "This channel's taste is cleared" : 'This channel had no signals to clear' },
            { kind: 'text', text: plain(cleared > 0 ? `Removed ${cleared} signal${cleared === 1 ? '' : 's'}. Recommendations start afresh from the next 👍, 👎 or save.` : 'Nothing was removed.') },
          ],
        };
      }
      const taste = store.signals.taste(channel);
      if (taste.length === 0) {
        return {
          visibility: 'ephemeral',
          blocks: [
            { kind: 'heading', text: 'No signals from this channel yet' },
            { kind: 'text', text: plain('React 👍 or 👎 to my paper posts, or press Save on a paper: recommend ranks recent papers by them.') },
          ],
        };
      }
      const members = new Set(store.signals.forChannel(channel).map((s) => s.userId)).size;
      const liked = taste.filter((t) => fans(t) > t.dislikes).sort((a, b) => fans(b) - fans(a) || b.lastAt.getTime() - a.lastAt.getTime());
      const disliked = taste.filter((t) => t.dislikes > fans(t)).sort((a, b) => b.dislikes - a.dislikes || b.lastAt.getTime() - a.lastAt.getTime());
      const mixed = taste.filter((t) => t.dislikes === fans(t));
      const signals = taste.reduce((n, t) => n + t.likes + t.dislikes + t.saves, 0);
      const blocks: Block[] = [
        { kind: 'heading', text: "This channel's taste" },
        { kind: 'context', text: `${signals} signal${signals === 1 ? '' : 's'} from ${members} member${members === 1 ? '' : 's'} on ${taste.length} paper${taste.length === 1 ? '' : 's'}.` },
      ];
      const section = (title: string, papers: PaperTaste[]) => {
        if (papers.length === 0) return;
        const more = papers.length > SHOWN ? `\n… and ${papers.length - SHOWN} more` : '';
        blocks.push({ kind: 'text', text: plain(`${title}\n${papers.slice(0, SHOWN).map(line).join('\n')}${more}`) });
      };
      section('Liked', liked);
      section('Disliked', disliked);
      section('Split', mixed);
      blocks.push({
        kind: 'context',
        text: `See what they recommend with ${exampleText(RECOMMEND, 'recommend', context.platform)}. Managers can clear them with ${exampleText(TASTE, 'taste reset', context.platform)}.`,
      });
      blocks.push({ kind: 'actions', buttons: [{ label: 'Recommend', command: 'recommend', style: 'primary' }] });
      return { visibility: 'ephemeral', blocks };
    },
  };
}

/** 👍 and saves together: what counts for the paper. */
function fans(t: PaperTaste): number {
  return t.likes + t.saves;
}

function line(t: PaperTaste): string {
  const counts: string[] = [];
  if (t.likes > 0) counts.push(`👍 ${t.likes}`);
  if (t.dislikes > 0) counts.push(`👎 ${t.dislikes}`);
  if (t.saves > 0) counts.push(`saved ${t.saves}`);
  return `• ${t.title} (${t.paperId}): ${counts.join(' · ')}`;
}

/** recommend and taste: what the channel's signals are, and what they pick. */
export function tasteCommands(services: TasteServices & { slackManagers: ManagerPolicy }): Command[] {
  return [recommendCommand(services), tasteCommand(services)];
}
