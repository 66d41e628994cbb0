import type { Reply } from '../model/reply.js';
import type { Command, CommandDeclaration } from './command.js';

export const ASK: CommandDeclaration = {
  name: 'ask',
  aliases: ['q', 'question'],
  summary: 'Ask a question about the digest; the answer quotes and cites the papers it comes from.',
  examples: ['ask which papers make mixture-of-experts inference faster?', 'ask what did NVIDIA publish this week?', 'ask how many papers today?', 'ask what came out on Dec 10?'],
  options: [{ name: 'question', kind: 'text', positional: true, required: true, description: 'e.g. which papers make MoE inference faster?', max: 500 }],
  visibility: 'channel',
};

/**
 * Questions about the digest, answered from the digest only with numbered citations. Adapters
 * route bot mentions and thread replies here; `context.threadPaperId` makes "it" the thread's paper.
 */
export function askCommand(answer: (question: string, threadPaperId?: string) => Promise<Reply>): Command {
  return {
    ...ASK,
    async run(command, context) {
      return answer(command.args, context.threadPaperId);
    },
  };
}
