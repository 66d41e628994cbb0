import type { Clock } from '../clock.js';
import { Answerer, type AnswererOptions } from '../answer/answerer.js';
import { renderAnswer } from '../answer/render.js';
import type { PaperLibrary } from '../index/library.js';
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
export function askCommand(library: PaperLibrary, clock: Clock, options: AnswererOptions = {}): Command {
  const answerer = new Answerer(library, clock, options);
  return {
    ...ASK,
    async run(command, context) {
      return renderAnswer(await answerer.answer(command.args, context.threadPaperId));
    },
  };
}
