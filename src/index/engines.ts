import type { Config } from '../config.js';
import type { EngineKind } from './engine.js';
import { miniSearchEngine } from './miniSearchEngine.js';
import { sqliteEngine } from './sqliteEngine.js';

export type EngineName = Config['SEARCH_ENGINE'];

/** The engines SEARCH_ENGINE can name. */
export const ENGINES: Readonly<Record<EngineName, EngineKind>> = { minisearch: miniSearchEngine, sqlite: sqliteEngine };
