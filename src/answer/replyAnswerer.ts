import type { Clock } from '../clock.js';
import type { PaperLibrary } from '../index/library.js';
import type { Reply } from '../model/reply.js';
import { Answerer, type AnswererOptions } from './answerer.js';
import { renderAnswer } from './render.js';

/** Questions in, rendered replies out: what the `ask` command runs. */
export function replyAnswerer(library: PaperLibrary, clock: Clock, options: AnswererOptions = {}): (question: string, threadPaperId?: string) => Promise<Reply> {
  const answerer = new Answerer(library, clock, options);
  return async (question, threadPaperId) => renderAnswer(await answerer.answer(question, threadPaperId));
}
