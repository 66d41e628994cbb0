import { describe, expect, it } from 'vitest';
import { paperIdentities } from '../../src/scheduler/paperIdentity.js';
import type { DeliveredPaper } from '../../src/store/deliveredRepo.js';
import { useTempStores } from '../scheduler/harness.js';

const channel = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C1' };
const elsewhere = { ...channel, channelId: 'C2' };
const paper = (id: string, title: string, arxivId?: string): DeliveredPaper => ({ paperId: id, title, identities: paperIdentities({ id, title, ...(arxivId ? { arxivId } : {}) }) });
const now = new Date('2026-12-01T08:00:00Z');

const { open } = useTempStores();

describe('delivered papers', () => {
  it('finds a paper by any of its identities, per channel and scope, and keeps the first message for good', () => {
    const store = open();
    store.delivered.record(
      channel,
      'posts',
      [paper('2511.05271', 'Sparse Mixture of Experts Routing for Long Context Inference', '2511.05271')],
      { postKey: 'd1', messageId: '111.1', day: '2026-12-01' },
      now,
    );
    store.delivered.record(
      channel,
      'posts',
      [paper('2511.05271v2', 'Sparse Mixture of Experts Routing for Long Context Inference', '2511.05271v2')],
      { postKey: 'd2', messageId: '222.2', day: '2026-12-02' },
      now,
    );
    for (const form of [paper('2511.05271v3', 'A new title'), paper('arXiv:2511.05271', 'x'), paper('t-abc', 'Sparse mixture-of-experts routing for long-context inference')]) {
      expect(store.delivered.earlier(channel, 'posts', form)).toMatchObject({ messageId: '111.1', day: '2026-12-01', postKey: 'd1' });
    }
    expect(store.delivered.earlier(channel, 'weekly', paper('2511.05271', 'x'))).toBeUndefined();
    expect(store.delivered.earlier(elsewhere, 'posts', paper('2511.05271', 'x'))).toBeUndefined();
  });

  it('matches a slightly changed title only when it is long and one of the two has no arXiv id', () => {
    const store = open();
    const long = 'Scaling Test Time Compute for Vision Language Action Models';
    const short = 'Qwen3 Technical Report';
    store.delivered.record(
      channel,
      'posts',
      [paper('t-1111', long), paper('t-2222', short), paper('2512.00001', 'Diffusion Forcing Beyond Next Token Prediction Again', '2512.00001')],
      { postKey: 'd1', messageId: 'm1', day: '2026-12-01' },
      now,
    );
    expect(store.delivered.earlier(channel, 'posts', paper('t-3333', 'Scaling Test-Time Compute for Vision-Language-Action Model'))?.paperId).toBe('t-1111');
    expect(store.delivered.earlier(channel, 'posts', paper('2512.00002', 'Scaling Test Time Compute for Vision Language Action Model', '2512.00002'))?.paperId).toBe('t-1111');
    expect(store.delivered.earlier(channel, 'posts', paper('t-4444', 'Qwen2 Technical Report'))).toBeUndefined();
    expect(store.delivered.earlier(channel, 'posts', paper('2512.00003', 'Diffusion Forcing Beyond Next Token Prediction Agains', '2512.00003'))).toBeUndefined();
    expect(store.delivered.earlier(channel, 'posts', paper('t-5555', 'Scaling Test Time Compute for Vision Language Models Instead'))).toBeUndefined();
  });

  it('remembers a message link once known', () => {
    const store = open();
    store.delivered.record(channel, 'posts', [paper('2511.05271', 'A paper', '2511.05271')], { postKey: 'd1', messageId: '111.1', day: '2026-12-01' }, now);
    store.delivered.setLink(channel, 'posts', 'd1', 'https://x.slack.com/archives/C1/p1111');
    expect(store.delivered.earlier(channel, 'posts', paper('2511.05271', 'A paper'))?.link).toBe('https://x.slack.com/archives/C1/p1111');
  });
});
