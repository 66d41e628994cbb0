import { miniSearchEngine } from '../../src/index/miniSearchEngine.js';
import { runEngineContract } from './engineContract.js';

runEngineContract(miniSearchEngine);
