/**
 * What shape of answer an open question wants: a list of every paper on a topic ("which
 * papers…", "what methods…"), the one paper that answers a "how can I…", or the best quotes.
 */
export type QuestionForm = 'list' | 'how' | 'open';

/**
 * Things a list question asks for ("which papers", "what approaches", "what work"): plurals and
 * mass nouns only, since "which paper…" or "what model does X use" asks for one thing.
 */
const LIST_NOUN = '(?:papers|works?|research|methods|approaches|techniques|models|systems|benchmarks|datasets|frameworks|studies|tools|ways|solutions|architectures|algorithms|options)';
const LIST = [
  new RegExp(`^(?:which|what)\\s+(?:(?:are|were|is)\\s+)?(?:(?:the|some|all|any)\\s+)?(?:[\\p{L}-]+\\s+)?${LIST_NOUN}\\b`, 'iu'),
  new RegExp(`^(?:are|is)\\s+there\\s+(?:any\\s+)?(?:[\\p{L}-]+\\s+)?${LIST_NOUN}\\b`, 'iu'),
  new RegExp(`^(?:list|show(?:\\s+me)?|find|give\\s+me)\\s+(?:(?:all|the|some|any)\\s+)*(?:[\\p{L}-]+\\s+)?${LIST_NOUN}\\b`, 'iu'),
  new RegExp(`^(?:any|all|other|recent|new|newer|latest|newest)\\s+${LIST_NOUN}\\s+(?:on|about|for|in|that|which)\\b`, 'iu'),
  new RegExp(`^${LIST_NOUN}\\s+(?:on|about)\\b`, 'iu'),
];
const HOW = /^(?:how\s+(?:can|could|do|should|would|might|may)\s+(?:i|we|you|one)\b|how\s+to\b|what(?:'s|\s+is)\s+(?:the\s+)?(?:best|easiest|fastest|cheapest)\s+way\s+to\b)/i;

export function questionForm(question: string): QuestionForm {
  const text = question.trim().replace(/\s+/g, ' ');
  if (HOW.test(text)) return 'how';
  if (LIST.some((re) => re.test(text))) return 'list';
  return 'open';
}
