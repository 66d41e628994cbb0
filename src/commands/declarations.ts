import { ASK } from './ask.js';
import type { CommandDeclaration } from './command.js';
import { FIND } from './find.js';
import { HELP } from './help.js';
import { LIKE } from './like.js';
import { EXPORT, SAVE, SAVED, UNSAVE } from './readingList.js';
import { RECOMMEND } from './recommend.js';
import { SHOW } from './show.js';
import { SUBSCRIBE, SUBSCRIPTIONS, UNSUBSCRIBE } from './subscribe.js';
import { SUMMARY } from './summary.js';
import { TASTE } from './taste.js';
import { TRENDING } from './trending.js';
import { UNWATCH, WATCH, WATCHES } from './watch.js';

/** Every command's declaration, without the services that run them: what Discord registers. */
export const DECLARATIONS: readonly CommandDeclaration[] = [
  FIND,
  SHOW,
  TRENDING,
  SUMMARY,
  LIKE,
  ASK,
  SUBSCRIBE,
  UNSUBSCRIBE,
  SUBSCRIPTIONS,
  WATCH,
  UNWATCH,
  WATCHES,
  SAVE,
  UNSAVE,
  SAVED,
  EXPORT,
  RECOMMEND,
  TASTE,
  HELP,
];
