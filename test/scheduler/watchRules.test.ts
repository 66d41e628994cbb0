import { describe, expect, it } from 'vitest';
import type { Paper } from '../../src/model/paper.js';
import { buildAlert } from '../../src/present/alertPost.js';
import { hasPositivePart, parseWatch, watchMatch, watchMatcher } from '../../src/index/watchMatch.js';

const paper = (over: Partial<Paper>): Paper => ({ id: 'x', title: 'A paper', abstract: '', authors: [], upvotes: 0, digests: [], ...over });
const flash = paper({ id: '2205.14135', title: 'FlashAttention: Fast and Memory-Efficient Exact Attention', abstract: 'IO-aware attention for GPUs.', authors: ['Tri Dao', 'Daniel Y. Fu'] });
const video = paper({
  id: '2501.00001',
  title: 'Latent diffusion for video synthesis',
  abstract: 'A diffusion model that makes video.',
  authors: ['Ana Núñez'],
  organization: { handle: 'nvidia', name: 'NVIDIA' },
});
const image = paper({
  id: '2501.00002',
  title: 'Diffusion for image editing',
  abstract: 'Edits images with a diffusion model.',
  authors: ['Wei Zhang'],
  organization: { handle: 'google', name: 'Google DeepMind' },
});
const papers = [flash, video, image];
const matching = (query: string) => papers.filter(watchMatcher(query, new Map())).map((p) => p.id);

describe('watch rules', () => {
  it('reads authors, organisations, negative words and plain words', () => {
    expect(parseWatch('author:"Tri Dao" org:nvidia diffusion -video')).toEqual({ words: ['diffusion'], without: ['video'], authors: ['Tri Dao'], orgs: ['nvidia'] });
    expect(hasPositivePart(parseWatch('-video'))).toBe(false);
    expect(hasPositivePart(parseWatch('author:Dao'))).toBe(true);
  });

  it('author: matches the full name, any case or accent, or a surname alone', () => {
    expect(matching('author:"Tri Dao"')).toEqual([flash.id]);
    expect(matching('author:"tri dao"')).toEqual([flash.id]);
    expect(matching('author:Dao')).toEqual([flash.id]);
    expect(matching('author:"Ana Nunez"')).toEqual([video.id]);
    expect(matching('author:Tri')).toEqual([]);
  });

  it('org: matches the handle or words of the name', () => {
    expect(matching('org:nvidia')).toEqual([video.id]);
    expect(matching('org:deepmind')).toEqual([image.id]);
    expect(matching('org:"google deepmind"')).toEqual([image.id]);
    expect(matching('org:meta')).toEqual([]);
  });

  it('a negative word leaves out papers that have it', () => {
    expect(matching('diffusion')).toEqual([video.id, image.id]);
    expect(matching('diffusion -video')).toEqual([image.id]);
    expect(matching('-video')).toEqual([]);
  });

  it('the alert says which rule matched each paper', () => {
    const query = 'diffusion -video';
    const alert = buildAlert(query, [image], watchMatch(query, new Map()));
    const lines = alert.blocks.filter((b) => b.kind === 'context').map((b) => (b.kind === 'context' ? b.text : ''));
    expect(lines).toContain('Matched: has “diffusion” · without “video”');
    const byAuthor = buildAlert('author:Dao', [flash], watchMatch('author:Dao', new Map()));
    expect(JSON.stringify(byAuthor.blocks)).toContain('Matched: by Tri Dao');
  });
});
