import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formBody, slashCommand } from '../../fakes/slack/payloads.js';
import { signedPost } from '../../fakes/slack/signedRequest.js';
import { CORPUS_DIR } from '../../helpers/seeds.js';
import { SIGNING_SECRET, startHarness, type Harness } from './harness.js';
import { sectionTexts, type SentBlocks } from './slackMessage.js';

let h: Harness;
let n = 0;
beforeAll(async () => {
  h = await startHarness({ mode: 'http', digestsDir: CORPUS_DIR });
});
afterAll(() => h?.stop());
afterEach(() => expect(h.fake.rejections).toEqual([]));

async function slash(text: string) {
  const trigger = `code-${++n}`;
  await signedPost(h.url, formBody(slashCommand({ text, trigger, channel: 'CCODE1', responseUrl: h.fake.responseUrl(trigger) })), { secret: SIGNING_SECRET });
  return h.fake.until(() => h.fake.responsesTo(trigger)[0]?.body as SentBlocks | undefined, `the answer to ${trigger}`);
}

describe('code and artifacts on Slack, over the corpus sample', () => {
  it('find --has code: every card links its repository, with stars where Hugging Face has them', async () => {
    const answer = await slash('find video generation --has code --limit 5');
    const cards = sectionTexts(answer).filter((t) => t.includes('▲'));
    expect(cards.length).toBe(5);
    for (const card of cards) expect(card).toMatch(/<https:\/\/github\.com\/[^|>]+\|github\.com\/[^>]+>/);
    expect(cards.some((c) => /★ [\d,]+>/.test(c))).toBe(true);
    const library = h.app.library.current();
    const ids = [...JSON.stringify(answer).matchAll(/summary (\d{4}\.\d{5})/g)].map((m) => m[1]!);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(library.get(id)?.githubRepo).toMatch(/^https:\/\/github\.com\//);
  });

  it('a card carries the AI summary and keywords', async () => {
    const paper = h.app.library
      .current()
      .papers()
      .find((p) => p.aiSummary && p.keywords?.length && p.githubRepo)!;
    const [card] = sectionTexts(await slash(`show ${paper.id}`));
    expect(card).toContain('AI summary: ');
    expect(card).toContain(paper.keywords![0]!.slice(0, 10));
  });
});
