/**
 * The graded question set: questions a researcher would ask about the seed digests, and the
 * papers a correct answer must cite (seed ids are stable title hashes, see src/parser/ids.ts).
 * `expect: 'not_found'` questions are not in the digest: the answer must say so, not invent.
 * `count` questions are checked against counts computed from the parsed digests.
 */
export interface GradedQuestion {
  question: string;
  /** Asked in this paper's thread. */
  thread?: string;
  /** Ids the answer must cite. */
  cite: string[];
  expect?: 'not_found' | 'count';
  /** For count questions: the digest day whose size the answer must state. */
  countDay?: string;
}

export const TODAY = '2026-11-23T10:00:00Z';

export const QUESTIONS: GradedQuestion[] = [
  // Open questions, answered by quoting abstracts.
  { question: 'how can I fine-tune a 100B model on a single GPU with SSDs?', cite: ['t-60af758e58'] },
  { question: 'which papers make mixture-of-experts inference faster?', cite: ['t-91e2b2567c', 't-d27f668bb3'] },
  { question: 'what does KIVI do for the KV cache?', cite: ['t-fdd6f37f66'] },
  { question: 'how does ShadowKV handle long-context inference?', cite: ['t-de5c21e66c'] },
  { question: 'zeroth-order fine-tuning with offloading for extremely large models', cite: ['t-ba034803b4'] },
  { question: 'is there work on weed segmentation and growth stage classification?', cite: ['t-4d36e57de3'] },
  { question: 'object detection architectures for mobile accelerators', cite: ['t-d76acba342'] },
  { question: 'how does FlashAttention-2 partition work between warps?', cite: ['t-b5971767fe'] },
  { question: 'layerwise importance sampling for memory-efficient fine-tuning', cite: ['t-224ee0235b'] },
  { question: 'which optimizer was found by symbolic program search?', cite: ['t-eee61c9655'] },
  { question: 'should larger models have larger vocabularies?', cite: ['t-73a744fa60'] },
  { question: 'how does ZeRO remove memory redundancies in data-parallel training?', cite: ['t-45e5f6e455'] },
  { question: 'training LLMs on more than 10,000 GPUs', cite: ['t-748f6ecec7'] },
  { question: '3D language Gaussian splatting at high FPS', cite: ['t-41e0528c81'] },
  { question: 'can LLMs write efficient CUDA kernels?', cite: ['t-f0369a21e6'] },
  { question: '8-bit matrix multiplication for transformers at scale', cite: ['t-15bcc28f57'] },
  { question: 'preference optimization with a reference-free reward', cite: ['t-7438c67e55'] },
  { question: 'disaggregation of prefill and decode inside one GPU', cite: ['t-300f79d791'] },
  { question: 'how can on-device LLMs be protected with Arm TrustZone?', cite: ['t-bec03033c3'] },
  { question: 'flexible checkpointing for large-scale distributed training', cite: ['t-2805b2e1c7'] },
  { question: 'what explains neural scaling laws?', cite: ['t-b03a976479'] },
  { question: 'can data pruning beat power law scaling?', cite: ['t-c68d2209cd'] },
  { question: 'quantization of diffusion transformers for image and video generation', cite: ['t-a61dbade93'] },
  { question: 'retrieval-based language models with a trillion-token datastore', cite: ['t-3fc31514c1'] },
  { question: 'adaptive token-level computation with recursive depths', cite: ['t-434a599295'] },
  { question: 'monocular depth estimation on embedded systems', cite: ['t-ce548d1ff8'] },
  { question: 'what is the Single Shot MultiBox Detector?', cite: ['t-9ae2bc3594'] },
  { question: 'a benchmark for kernel generation on multiple platforms', cite: ['t-ee1e5496ad'] },
  { question: 'language modeling without matrix multiplication', cite: ['t-81b178bcbf'] },
  { question: 'papers on KV cache quantization from Nov 10', cite: ['t-fdd6f37f66'] },

  // Structural questions, answered from the data.
  { question: 'what did NVIDIA publish?', cite: ['t-e025832f55'] },
  { question: 'papers from ByteDance Seed', cite: ['t-de5c21e66c'] },
  { question: 'what did Alibaba-NLP publish?', cite: ['t-6dba3699ef'] },
  { question: 'any Reactive AI papers?', cite: ['t-76f4949b81'] },
  { question: 'what came out on Dec 10?', cite: ['t-4d36e57de3', 't-d76acba342'] },
  { question: 'what came out on December 9th?', cite: ['t-43deb2b2ff', 't-6befc54114'] },
  { question: 'most upvoted this week', cite: ['t-73a744fa60'] },
  { question: 'compare t-fdd6f37f66 and t-e3863890b6', cite: ['t-fdd6f37f66', 't-e3863890b6'] },
  { question: 'how many papers today?', cite: [], expect: 'count', countDay: '2025-12-10' },
  { question: 'how many papers were in the Dec 10 digest?', cite: [], expect: 'count', countDay: '2025-12-10' },

  // Follow-ups in a paper's thread: "it" is the thread's paper.
  { question: 'what does it propose?', thread: 't-e025832f55', cite: ['t-e025832f55'] },
  { question: 'who are the authors?', thread: 't-60af758e58', cite: ['t-60af758e58'] },
  { question: 'how much faster is it?', thread: 't-94ae0b536d', cite: ['t-94ae0b536d'] },
  { question: 'is there code or a project page?', thread: 't-4d36e57de3', cite: ['t-4d36e57de3'] },
  { question: 'compare it with t-b5971767fe', thread: 't-94ae0b536d', cite: ['t-94ae0b536d', 't-b5971767fe'] },
  { question: 'what does t-b5971767fe improve over the first version?', cite: ['t-b5971767fe'] },

  // Not in the digest: say so.
  { question: 'what is the capital of France?', cite: [], expect: 'not_found' },
  { question: 'who won the football world cup?', cite: [], expect: 'not_found' },
  { question: 'recipes for sourdough bread', cite: [], expect: 'not_found' },
];
