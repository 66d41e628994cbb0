import type { Paper } from '../model/paper.js';
import type { PaperLinks } from '../model/reply.js';

/** Hugging Face and arXiv pages when the arXiv id is known, otherwise a search for the title. */
export function paperLinks(paper: Paper): PaperLinks {
  if (paper.arxivId) {
    const huggingface = `https://huggingface.co/papers/${paper.arxivId}`;
    return { primary: huggingface, huggingface, arxiv: `https://arxiv.org/abs/${paper.arxivId}` };
  }
  return { primary: `https://huggingface.co/papers?q=${encodeURIComponent(paper.title)}` };
}
