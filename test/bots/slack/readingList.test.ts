import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TEAM_ID } from '../../fakes/slack/fakeSlack.js';
import { manySavedRecords } from '../../export/savedRecords.js';
import { LIMITS } from '../../../src/bots/slack/limits.js';
import { startHarness, type Harness } from './harness.js';
import { blocksOf, type SentBlocks } from './slackMessage.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ mode: 'http' });
});
afterAll(() => h?.stop());
afterEach(() => expect(h.fake.rejections).toEqual([]));

const slash = (text: string, channel: string, user?: string) => h.slash(text, channel, user);
const press = (value: string, channel: string) => h.press(value, { channel });
const answerTo = (trigger: string) => h.fake.until(() => h.fake.responsesTo(trigger)[0]?.body as SentBlocks | undefined, `the answer to ${trigger}`);
const textOf = (message: SentBlocks) => JSON.stringify(blocksOf(message));
const buttonValue = (message: SentBlocks, label: string) =>
  (blocksOf(message) as Array<{ type: string; elements?: Array<{ text?: { text: string }; value?: string }> }>)
    .flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []))
    .find((e) => e.text?.text === label)?.value;

describe('reading lists on Slack', () => {
  it('Save on a private result answers privately beside it, and saved lists the paper', async () => {
    const results = await answerTo(await slash('find moe routing --limit 2', 'CREAD1'));
    const save = buttonValue(results, 'Save');
    expect(save).toMatch(/^save \S+$/);
    const saved = await answerTo(await press(save!, 'CREAD1'));
    expect(saved['replace_original']).toBe(false);
    expect(textOf(saved)).toContain('Saved to your reading list');
    const list = await answerTo(await slash('saved', 'CREAD1'));
    expect(textOf(list)).toContain('Your reading list (1 paper)');
  });

  it('export sends the file through the external upload flow to the member’s DM', async () => {
    const reply = await answerTo(await slash('export mine bibtex', 'CREAD1'));
    expect(reply['response_type']).toBe('ephemeral');
    expect(textOf(reply)).toMatch(/I sent paperbot-mine-\d{4}-\d{2}-\d{2}\.bib to you in a direct message/);
    const [open] = h.fake.callsTo('conversations.open');
    expect(open!.args['users']).toBe('UALICE01');
    const [file] = h.fake.uploads.sharedIn('DALICE01');
    expect(file!.filename).toMatch(/\.bib$/);
    expect(file!.bytes!.toString('utf8')).toMatch(/^@misc\{/);
    expect(file!.initialComment).toContain('Your reading list: 1 paper as BibTeX');
  });

  it('an export of 500 saved papers is one upload within Slack’s file limit', async () => {
    const list = { platform: 'slack' as const, workspaceId: TEAM_ID, kind: 'channel' as const, owner: 'CBIG01' };
    for (const [i, r] of manySavedRecords(500).entries()) h.app.store.saved.save(list, r, { id: 'UBOB0001', name: 'bob' }, new Date(Date.UTC(2026, 0, 1, 0, 0, i)));
    const reply = await answerTo(await slash('export channel markdown', 'CBIG01'));
    expect(textOf(reply)).toContain("This channel's reading list: 500 papers as Markdown");
    const file = h.fake.uploads.sharedIn('DALICE01').find((f) => f.filename.endsWith('.md'))!;
    expect(file.bytes!.length).toBeLessThan(LIMITS.fileBytes);
    const items = file
      .bytes!.toString('utf8')
      .split('\n')
      .filter((l) => l.startsWith('- '));
    expect(items).toHaveLength(500);
    expect(items[0]).toContain('(saved 2026-01-01 by bob)');
  });

  it('a failed upload says so privately and no file is shared', async () => {
    h.fake.failNext('files.getUploadURLExternal', { error: 'missing_scope' });
    const before = h.fake.uploads.files.size;
    const reply = await answerTo(await slash('export mine markdown', 'CREAD1'));
    expect(textOf(reply)).toMatch(/I could not send the file: .*reinstall the app/);
    expect(h.fake.uploads.files.size).toBe(before);
  });
});
