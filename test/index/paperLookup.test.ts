import { beforeAll, describe, expect, it } from 'vitest';
import { PaperIndex } from '../../src/index/paperIndex.js';
import { PaperLookup } from '../../src/index/paperLookup.js';
import type { Paper } from '../../src/model/paper.js';
import { titleId } from '../../src/parser/ids.js';
import { titleKey } from '../../src/parser/text.js';
import { runSteps } from '../../src/steps.js';
import { loadSeeds } from '../helpers/seeds.js';

let papers: Paper[];
let index: PaperIndex;
beforeAll(async () => {
  const load = await loadSeeds();
  papers = load.papers;
  index = PaperIndex.build(papers, load.digests.map((d) => d.date));
});

describe('finding a paper by id or title', () => {
  it('finds every seed paper by its id in any case, its title-derived id and its title, as maps of every key would', () => {
    // The maps the lookup replaces, filled in paper order: a later paper wins a shared key.
    const byId = new Map<string, Paper>();
    const byTitle = new Map<string, Paper>();
    for (const p of papers) {
      byId.set(p.id.toLowerCase(), p);
      byId.set(titleId(p.title), p);
      byTitle.set(titleKey(p.title), p);
    }
    for (const p of papers) {
      for (const key of [p.id, p.id.toUpperCase(), ` ${p.id} `, titleId(p.title)]) expect(index.get(key), key).toBe(byId.get(key.trim().toLowerCase()));
      const typed = `  ${p.title.toUpperCase()}  `;
      expect(index.get(typed), typed).toBe(byId.get(typed.trim().toLowerCase()) ?? byTitle.get(titleKey(typed)));
    }
    expect(index.get('t-0000000000')).toBeUndefined();
    expect(index.get('no such paper title at all')).toBeUndefined();
  });

  it('takes arXiv ids with a prefix or a version', () => {
    const p = { ...papers[0]!, id: '2511.05271', title: 'An arXiv paper' };
    const small = PaperIndex.build([p, papers[1]!]);
    for (const typed of ['2511.05271', 'arXiv:2511.05271', '2511.05271v2']) expect(small.get(typed)?.title, typed).toBe('An arXiv paper');
  });

  it('gives every paper that has a key, so the later of two can win', () => {
    const ids = ['b', 'A', 'a', 'c', 'a'];
    const lookup = runSteps(PaperLookup.buildSteps(ids.length, (i) => ids[i]!, (i) => `title ${ids[i]}`));
    expect(lookup.find('id', 'a')).toEqual([1, 2, 4]);
    expect(lookup.find('title', 'title c')).toEqual([3]);
    expect(lookup.find('id', 'd')).toEqual([]);
    expect(lookup.find('id', '')).toEqual([]);
  });

  it('refuses saved orders that do not fit the papers', () => {
    const ids = ['a', 'b'];
    const { orders } = runSteps(PaperLookup.buildSteps(2, (i) => ids[i]!, (i) => ids[i]!));
    expect(() => PaperLookup.over(orders.subarray(1), 2, (i) => ids[i]!, (i) => ids[i]!)).toThrow(/paper count/);
    expect(() => PaperLookup.over(orders.map((v) => v + 2), 2, (i) => ids[i]!, (i) => ids[i]!)).toThrow(/paper count/);
  });
});
