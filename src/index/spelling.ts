import { createRequire } from 'node:module';
import { z } from 'zod';

/**
 * British spellings turned American, so "optimisation" and "optimization" become one term.
 * Common words come from a published British → American list; the technical words papers coin
 * ("quantised", "tokenisation", "colourisation") are not in any list, so the productive
 * patterns behind them are applied as rules too. Both spellings meet whatever the rule does to
 * words that only look British ("noise" becomes "noize"): indexing and queries agree.
 */

const BRITISH_TO_AMERICAN: ReadonlyMap<string, string> = new Map(
  Object.entries(z.record(z.string(), z.string()).parse(createRequire(import.meta.url)('american-british-english-translator/data/british_spellings.json'))),
);

/** Stems written -our in British English and -or in American ("colourful", "behavioural", "tumours"). */
const OUR_STEMS = [
  'ardour',
  'armour',
  'behaviour',
  'candour',
  'clamour',
  'colour',
  'demeanour',
  'endeavour',
  'favour',
  'fervour',
  'flavour',
  'harbour',
  'honour',
  'humour',
  'labour',
  'neighbour',
  'odour',
  'parlour',
  'rigour',
  'rumour',
  'saviour',
  'savour',
  'splendour',
  'tumour',
  'valour',
  'vapour',
  'vigour',
];
const OUR = new RegExp(`(${OUR_STEMS.map((s) => s.slice(0, -3)).join('|')})our`, 'g');

/** -ise, -ised, -isation, -iser, -isable... of verbs made with -ise/-ize ("quantised", "tokenisation"). */
const ISE = /^(\p{L}{2,}?)is(e|es|ed|ing|er|ers|ation|ations|ational|able|ability)$/u;
/** Words ending in -ise that are not -ise/-ize verbs ("precise", "noise", "supervise"): left alone, so "precise" still meets "precision". */
const NOT_IZE_ENDINGS = ['cise', 'wise', 'vise', 'uise', 'aise', 'oise'];
const NOT_IZE = new Set(
  (
    'rise arise surprise enterprise comprise reprise sunrise apprise promise compromise premise demise surmise advertise chastise expertise ' +
    'mortise treatise despise paradise merchandise franchise anise valise chemise'
  ).split(' '),
);
/** -yse verbs ("analyse", "catalysed"). */
const YSE = /^(\p{L}{2,}?)ys(e|es|ed|ing|er|ers)$/u;
/** Verbs ending in -l whose British forms double it ("modelling", "labelled", "signalling"). */
const LL_STEMS = ['model', 'label', 'signal', 'channel', 'tunnel', 'travel', 'cancel', 'fuel', 'level', 'funnel', 'marshal', 'total', 'dial', 'counsel', 'unravel', 'shovel'];
const LL = new RegExp(`^(\\p{L}*(?:${LL_STEMS.join('|')}))l(ed|ing|er|ers)$`, 'u');

/** A lower-cased word in its American spelling (the word itself when it has no British form). */
export function americanSpelling(word: string): string {
  const listed = BRITISH_TO_AMERICAN.get(word);
  if (listed !== undefined) return listed;
  let w = word.includes('our') ? word.replace(OUR, '$1or') : word;
  w = w.replace(LL, '$1$2');
  const ise = ISE.exec(w);
  if (ise && !isNotIze(`${ise[1]}ise`)) return `${ise[1]}iz${ise[2]}`;
  const yse = YSE.exec(w);
  if (yse) return `${yse[1]}yz${yse[2]}`;
  return w;
}

function isNotIze(base: string): boolean {
  return NOT_IZE.has(base) || NOT_IZE_ENDINGS.some((ending) => base.endsWith(ending));
}
