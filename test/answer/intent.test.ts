import { describe, expect, it } from 'vitest';
import { analyseQuestion } from '../../src/answer/intent.js';

/** Organisations as the corpus names them: many start with "The". */
const ORGS = ['The University of Hong Kong', 'The Ohio State University', 'NVIDIA', 'ByteDance Seed'];
/** As the answerer's lookup does: the full name, or a name starting with it as words. */
const isOrg = (name: string) => ORGS.some((o) => o.toLowerCase() === name.toLowerCase() || o.toLowerCase().startsWith(`${name.toLowerCase()} `));
const analyse = (q: string) => analyseQuestion(q, { today: '2026-12-01', isOrg });

describe('analyseQuestion', () => {
  it('reads "what are the papers about X" as a topic question, not as the papers of organisations named "The …"', () => {
    expect(analyse('what are the papers about multimodal agents?')).toEqual({ kind: 'open', text: 'what are the papers about multimodal agents?' });
    expect(analyse('what are the papers about diffusion models?').kind).toBe('open');
  });

  it('still reads an organisation named before "papers"', () => {
    expect(analyse('what are the NVIDIA papers?')).toMatchObject({ kind: 'org', who: 'NVIDIA' });
    expect(analyse('ByteDance papers')).toMatchObject({ kind: 'org', who: 'ByteDance' });
  });
});
