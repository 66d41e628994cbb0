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
  /** List questions must cite every relevant paper; how-questions must cite find's best paper first. */
  form?: 'list' | 'how';
  /** Papers judged off topic that a careless answer would cite (they name the question's words in unrelated sentences). */
  neverCite?: string[];
}

export const TODAY = '2026-11-23T10:00:00Z';

export const QUESTIONS: GradedQuestion[] = [
  // Open questions, answered by quoting abstracts.
  { form: 'how', question: 'how can I fine-tune a 100B model on a single GPU with SSDs?', cite: ['t-60af758e58'] },
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

  // List questions: every paper `find` ranks in its top results that is about the topic (judged
  // by reading the abstracts of find's first fifteen hits for the question's topic words).
  { form: 'list', question: 'which papers are about mixture of experts?', cite: ['t-d27f668bb3', 't-91e2b2567c', 't-0970fa9b4b', 't-4fb1276fff', 't-292123bdf7', 't-6c0f8a169a'] },
  { form: 'list', question: 'which papers are about object detection?', cite: ['t-d76acba342', 't-3cc1dc61aa', 't-e269982f93', 't-88d46d74ac', 't-9ae2bc3594'] },
  {
    form: 'list',
    question: 'what methods compress the KV cache?',
    cite: ['t-08bc4cae50', 't-e3863890b6', 't-1a16d2e724', 't-a49427a934', 't-180937dab4', 't-87c9c5e4c8'],
    neverCite: ['t-434a599295'],
  },
  { form: 'list', question: 'what approaches exist for CUDA kernel generation?', cite: ['t-5349399f46', 't-72253a964a', 't-c9596bd722', 't-f0369a21e6'], neverCite: ['t-bd6ea08dd6', 't-e57a484215'] },
  { form: 'list', question: 'what methods exist for zeroth-order fine-tuning?', cite: ['t-8b0391e1df', 't-f4026cb5bc', 't-ba034803b4', 't-81d73ae3a3', 't-9c5825e13c', 't-3b3bd3ab32'] },
  {
    form: 'list',
    question: 'what are the papers about long-context inference?',
    cite: ['t-1a16d2e724', 't-3e2b18f948', 't-3ed2982682', 't-de5c21e66c', 't-81ac03a262', 't-180937dab4', 't-5287475a67'],
  },
  {
    form: 'list',
    question: 'which papers study scaling laws?',
    cite: ['t-c68d2209cd', 't-c60e6fd5fa', 't-d21bbb8884', 't-f8b4088e05', 't-b03a976479', 't-c4e72b5940', 't-dbcaff2444', 't-73a744fa60'],
  },
  { form: 'list', question: 'which papers make mixture-of-experts inference faster?', cite: ['t-d27f668bb3', 't-91e2b2567c'], neverCite: ['t-dbcaff2444'] },
  // Asked in another paper's thread, a list question is still about the whole digest.
  { form: 'list', question: 'which papers are about object detection?', thread: 't-91e2b2567c', cite: ['t-d76acba342', 't-3cc1dc61aa', 't-e269982f93', 't-88d46d74ac', 't-9ae2bc3594'] },

  // How-questions: the paper find ranks first for the question's topic words answers it.
  { form: 'how', question: 'how can I fine-tune with zeroth-order optimization on limited GPU memory?', cite: ['t-ba034803b4'] },
  { form: 'how', question: 'how can I run long-context inference on a single commodity GPU?', cite: ['t-180937dab4'] },
  { form: 'how', question: 'how can I detect objects on mobile accelerators?', cite: ['t-d76acba342'] },
  { form: 'how', question: 'how can I speed up mixture-of-experts inference?', cite: ['t-d27f668bb3'] },
  { form: 'how', question: 'how do I train LLMs on more than 10,000 GPUs?', cite: ['t-748f6ecec7'] },
  { form: 'how', question: 'how can I speed up attention on GPUs?', cite: ['t-b5971767fe'] },

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
  { form: 'list', question: 'which papers are about protein folding?', cite: [], expect: 'not_found' },
  { form: 'how', question: 'how can I bake sourdough bread?', cite: [], expect: 'not_found' },
  // No paper runs mixture-of-experts models on a phone; the radiance-field paper that renders on smartphones is not an answer.
  { form: 'how', question: 'how can I run mixture-of-experts models on a smartphone?', cite: [], expect: 'not_found', neverCite: ['t-6ddc8d614f'] },
];
