import { sqliteEngine } from '../../src/index/sqliteEngine.js';
import { runEngineContract } from './engineContract.js';

runEngineContract(sqliteEngine);
