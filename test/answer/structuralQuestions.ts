import type { Paper } from '../../src/model/paper.js';

/** Names as users type them: as written, lower-cased, without accents, hyphens as spaces. */
function spellings(name: string): string[] {
  const plain = name.normalize('NFKD').replace(/\p{M}/gu, '');
  return [...new Set([name, name.toLowerCase(), plain, plain.replace(/-/g, ' ')])];
}

/**
 * Structural questions (days, organisations, authors) over a library's own names and days:
 * accented, stop-word and hyphenated names first, as the ones an index lookup could miss.
 */
export function structuralQuestions(papers: readonly Paper[], today: string, perKind = 40): string[] {
  const days = [...new Set(papers.flatMap((p) => p.digests.map((d) => d.date)))].sort();
  const tricky = (s: string) => /[^\x20-\x7e]|-|\b(?:an|do|you|or|will|can|the|show|but|in|to|a|i)\b/i.test(s);
  const pick = (names: string[]) => {
    const unique = [...new Set(names)];
    return [...unique.filter(tricky).slice(0, perKind), ...unique.filter((n) => !tricky(n)).slice(0, perKind)];
  };
  const orgs = pick(papers.flatMap((p) => (p.organization ? [p.organization.name, p.organization.handle] : [])));
  const authors = pick(papers.flatMap((p) => p.authors));
  const surnames = pick(authors.map((a) => a.split(/\s+/).at(-1)!).filter((s) => /^\p{Lu}/u.test(s)));
  const someDays = [...days.slice(0, 3), ...days.slice(-5), days[Math.floor(days.length / 2)]].filter((d): d is string => d !== undefined);
  const questions = [
    'how many papers?',
    'how many papers today?',
    'how many papers this week?',
    'how many papers last month?',
    "what's new?",
    'what came out yesterday?',
    'papers from last week',
    'what came out this week?',
    'show me papers about mixture of experts',
    'what do you have papers on?',
    'which of the papers use reinforcement learning this week?',
    `what came out on ${today}?`,
  ];
  for (const d of someDays) questions.push(`what came out on ${d}?`, `how many papers on ${d}?`, `what was published on ${d}?`);
  for (const org of orgs) {
    for (const s of spellings(org)) questions.push(`what did ${s} publish this week?`, `papers from ${s}`);
    questions.push(`${org} papers`, `what did ${org} publish on ${someDays.at(-2) ?? today}?`, `how many papers did ${org} publish last month?`);
  }
  for (const name of [...authors, ...surnames]) {
    for (const s of spellings(name)) questions.push(`papers by ${s}`);
    questions.push(`papers by ${name} this week`, `what did ${name} publish last month?`);
  }
  return questions;
}
