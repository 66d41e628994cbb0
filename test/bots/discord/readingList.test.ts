import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../../fakes/discord/fakeDiscord.js';
import { UPLOAD_LIMIT_BYTES } from '../../fakes/discord/attachments.js';
import { manySavedRecords } from '../../export/savedRecords.js';
import { buttonsOf, startHarness, visibleText, type Harness } from './harness.js';

const EPHEMERAL = 64;
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

const str = (name: string, value: string) => ({ name, type: 3, value });
const bool = (name: string, value: boolean) => ({ name, type: 5, value });
const reply = (token: string) =>
  h.fake.waitFor(() => {
    const m = h.fake.original(token);
    return m && !m.loading ? m : undefined;
  }, `the reply to ${token}`);
/** Messages the interaction posted after its first reply (a Save pressed on a card answers in one of its own). */
const followUps = (token: string) => [...h.fake.messages.values()].filter((m) => m.interaction_token === token && m.id !== h.fake.original(token)?.id);
const fileOf = (message: Json) => {
  const attachment = (message.attachments as Json[])[0]!;
  return { attachment, text: h.fake.uploads.get(attachment.id)!.bytes.toString('utf8') };
};

describe('reading lists on Discord', () => {
  it('Save on a card saves privately and leaves the search results in place', async () => {
    const results = await reply(h.fake.slashCommand('find', [str('query', 'moe routing')]));
    const save = buttonsOf(results).find((b) => b.label === '1 · Save');
    expect(save).toBeDefined();
    const token = h.fake.pressButton(results.id, save!.custom_id);
    const saved = await h.fake.waitFor(() => followUps(token)[0] ?? (h.fake.original(token) !== results ? h.fake.original(token) : undefined), 'the Save answer');
    expect(saved.id).not.toBe(results.id);
    expect(saved.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(visibleText(saved)).toMatch(/Saved to your reading list: “/);
    // The list the button was on still shows its papers.
    expect(h.fake.messages.get(results.id)!.embeds.length).toBeGreaterThan(1);
    const first = h.app.library.current().search('moe routing', { limit: 1 })[0]!.paper;
    const list = await reply(h.fake.slashCommand('saved', []));
    expect(visibleText(list)).toContain('Your reading list (1 paper)');
    expect(visibleText(list)).toContain(first.title.slice(0, 40));
  });

  it('save channel:True goes on the channel list with who saved it', async () => {
    const paper = h.app.library.current().papers()[3]!;
    const saved = await reply(h.fake.slashCommand('save', [str('id', paper.id), bool('channel', true)]));
    expect(visibleText(saved)).toContain("Saved to this channel's reading list");
    const list = await reply(h.fake.slashCommand('saved', [str('list', 'channel')]));
    expect(visibleText(list)).toMatch(/Saved by ada on \d{4}-\d{2}-\d{2}/);
  });

  it('export arrives as a .bib attachment of the message', async () => {
    const msg = await reply(h.fake.slashCommand('export', [str('list', 'mine'), str('format', 'bibtex')]));
    expect(msg.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(visibleText(msg)).toContain('Your reading list: 1 paper as BibTeX');
    const { attachment, text } = fileOf(msg);
    expect(attachment.filename).toMatch(/^paperbot-mine-\d{4}-\d{2}-\d{2}\.bib$/);
    expect(text).toMatch(/^@misc\{[a-z]+\d{0,4}[a-z0-9]*:[^,\s]+,\n {2}title = \{\{/);
  });

  it('an export of 500 saved papers fits Discord’s upload limit, every paper once', async () => {
    const list = { platform: 'discord' as const, workspaceId: h.fake.guildId, kind: 'channel' as const, owner: h.fake.channelId };
    const records = manySavedRecords(500);
    for (const [i, r] of records.entries()) h.app.store.saved.save(list, r, { id: '1', name: 'ada' }, new Date(Date.UTC(2026, 0, 1, 0, 0, i)));
    const msg = await reply(h.fake.slashCommand('export', [str('list', 'channel'), str('format', 'bibtex')]));
    expect(visibleText(msg)).toMatch(/this channel's reading list: 501 papers as BibTeX/i);
    const { attachment, text } = fileOf(msg);
    expect(attachment.size).toBeLessThan(UPLOAD_LIMIT_BYTES);
    const keys = [...text.matchAll(/^@misc\{([^,]+),$/gm)].map((m) => m[1]);
    expect(keys).toHaveLength(501);
    expect(new Set(keys).size).toBe(501);
    for (const r of records.slice(0, 3)) expect(text).toContain(`eprint = {${r.arxivId}}`);
  });

  it('Export on the saved list sends the file in a message of its own, leaving the list', async () => {
    const list = await reply(h.fake.slashCommand('saved', []));
    const exportButton = buttonsOf(list).find((b) => b.label === 'Export Markdown')!;
    const token = h.fake.pressButton(list.id, exportButton.custom_id);
    const file = await h.fake.waitFor(() => [h.fake.original(token), ...followUps(token)].find((m) => m && m.id !== list.id && (m.attachments as Json[])?.length), 'the export message');
    expect(fileOf(file).attachment.filename).toMatch(/\.md$/);
    expect(visibleText(h.fake.messages.get(list.id))).toContain('Your reading list');
  });
});
