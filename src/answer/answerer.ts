import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { PaperLibrary } from '../index/library.js';
import type { PaperIndex } from '../index/paperIndex.js';
import type { Paper } from '../model/paper.js';
import type { Answer } from './answer.js';
import { digestFacts, inWindow, prepareDigestFacts } from './digestFacts.js';
import { answerFromAbstracts } from './extractive.js';
import { analyseQuestion, topicTerms, type Intent } from './intent.js';
import type { ChatClient } from './llm/chatClient.js';
import { generateAnswer } from './llm/generate.js';
import { answerAboutPaper, isAboutSomePaper } from './paperAnswers.js';
import { questionForm } from './questionForm.js';
import { StructuralAnswers } from './structural.js';
import { isoDay } from '../time/days.js';

export interface AnswererOptions {
  /** When set, open questions get a fluent answer written from the retrieved passages. */
  llm?: ChatClient;
  logger?: Logger;
}

/**
 * Answers a question from the digest only: structural questions from the data, open ones by
 * quoting abstracts (optionally rewritten by an LLM that must cite the same passages).
 */
export class Answerer {
  constructor(
    private readonly library: PaperLibrary,
    private readonly clock: Clock,
    private readonly options: AnswererOptions = {},
  ) {
    // Read the per-index organisations at start-up and after each reload, not during a question.
    const prepare = (index: PaperIndex) => void prepareDigestFacts(index).catch(() => undefined);
    // At start-up, once the first answers have had the machine.
    if (library.ready) setTimeout(() => prepare(library.current()), 1500).unref();
    library.onSwap(prepare);
  }

  /** The offline answer: never touches the network. */
  extractive(question: string, threadPaperId?: string): Answer {
    const index = this.library.current();
    const today = isoDay(this.clock.now());
    const threadPaper = threadPaperId ? index.get(threadPaperId) : undefined;
    const facts = digestFacts(index);
    const intent = analyseQuestion(question, { today, isOrg: (name) => facts.findOrgs(name).length > 0, ...(threadPaper ? { threadPaperId: threadPaper.id } : {}) });
    const answer = this.answerIntent(index, today, intent, question.trim(), threadPaper, threadPaperId);
    if (threadPaper) answer.threadPaper = threadPaper;
    return answer;
  }

  async answer(question: string, threadPaperId?: string): Promise<Answer> {
    const answer = this.extractive(question, threadPaperId);
    const llm = this.options.llm;
    if (!llm || answer.kind !== 'quoted') return answer;
    return (await generateAnswer(llm, question.trim(), answer, this.options.logger)) ?? answer;
  }

  private answerIntent(index: PaperIndex, today: string, intent: Intent, question: string, threadPaper: Paper | undefined, threadPaperId: string | undefined): Answer {
    const structural = () => new StructuralAnswers(index, today);
    switch (intent.kind) {
      case 'empty':
        return helpAnswer(threadPaper);
      case 'count':
        return structural().count(question, intent.date);
      case 'byDate':
        return structural().byDate(question, intent.date);
      case 'org':
        return structural().org(question, intent.who, intent.date);
      case 'author':
        return structural().author(question, intent.who, intent.date);
      case 'popular':
        return structural().popular(question, intent.date);
      case 'compare': {
        const papers = intent.ids.map((id) => index.get(id));
        const missing = intent.ids.filter((_, i) => !papers[i]);
        if (missing.length > 0) return unknownIds(question, missing);
        return structural().compare(question, papers[0]!, papers[1]!);
      }
      case 'paper': {
        const paper = index.get(intent.id);
        if (!paper) return unknownIds(question, [intent.id], intent.id === threadPaperId);
        // "Which papers…" in a thread, without pointing at its paper, asks about the digest.
        if (intent.soft && intent.aspect === 'text' && questionForm(question) === 'list') return answerFromAbstracts(index, question, { form: 'list' });
        const answer = answerAboutPaper(index, paper, intent.aspect, intent.text, intent.soft);
        if (answer) return answer;
        return answerFromAbstracts(index, question);
      }
      case 'open': {
        if (!threadPaper && isAboutSomePaper(intent.text)) return whichPaper(question, threadPaperId);
        if (topicTerms(intent.text).length === 0) return helpAnswer(undefined, question);
        const window = intent.date ? structural().window(intent.date) : undefined;
        const form = questionForm(question);
        if (!window) return answerFromAbstracts(index, intent.text, { heading: question, form });
        return answerFromAbstracts(index, intent.text, { filter: { test: (p) => inWindow(p, window.from, window.to), label: `the digests of ${window.label}` }, heading: question, form });
      }
    }
  }
}

const EXAMPLES = [
  'which papers make mixture-of-experts inference faster?',
  'how many papers today?',
  'what did NVIDIA publish this week?',
  'what came out on Dec 10?',
  'most upvoted this week',
  'compare <id> and <id>',
];
const THREAD_EXAMPLES = ['what does it propose?', 'who are the authors?', 'when was it published?', 'is there code?', 'similar papers?'];

function helpAnswer(threadPaper: Paper | undefined, question = ''): Answer {
  const examples = threadPaper ? THREAD_EXAMPLES : EXAMPLES;
  const lead = question
    ? 'I answer questions about the papers in the digest, but I could not find a topic in that one.'
    : threadPaper
      ? `Ask me anything about “${threadPaper.title}”, or about the whole digest.`
      : 'Ask me anything about the papers in the digest; I answer from the abstracts and cite them.';
  return {
    kind: 'help',
    heading: 'Ask me about the digest',
    lines: [
      { text: lead, cites: [] },
      { text: `For example: ${examples.map((e) => `“${e}”`).join(' · ')}`, cites: [] },
    ],
    citations: [],
  };
}

function whichPaper(question: string, threadPaperId: string | undefined): Answer {
  const text = threadPaperId
    ? `I cannot find this thread's paper (${threadPaperId}) in the current digest any more. Name it by id, e.g. “what does 2405.14906 propose?”.`
    : 'Which paper do you mean? Ask in the thread of a paper, or include its id, e.g. “what does 2405.14906 propose?”.';
  return { kind: 'help', heading: question, lines: [{ text, cites: [] }], citations: [] };
}

function unknownIds(question: string, ids: string[], fromThread = false): Answer {
  if (fromThread) return whichPaper(question, ids[0]);
  return {
    kind: 'not_found',
    heading: question,
    lines: [{ text: `The digest has no paper with id ${ids.join(' or ')}. Ids are shown on every search result; try /paper find <title words>.`, cites: [] }],
    citations: [],
  };
}
