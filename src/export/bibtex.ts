import type { SavedPaperRecord } from '../model/savedPaper.js';

/** LaTeX accent commands for the combining marks Unicode decomposes accented letters into. */
const ACCENTS: Readonly<Record<string, string>> = {
  '\u0300': '`',
  '\u0301': "'",
  '\u0302': '^',
  '\u0303': '~',
  '\u0304': '=',
  '\u0306': 'u',
  '\u0307': '.',
  '\u0308': '"',
  '\u030a': 'r',
  '\u030b': 'H',
  '\u030c': 'v',
  '\u0327': 'c',
  '\u0328': 'k',
};

/** Letters with no decomposition, and the characters BibTeX or LaTeX give a meaning to. */
const SPECIAL: Readonly<Record<string, string>> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  '%': '\\%',
  '&': '\\&',
  _: '\\_',
  '#': '\\#',
  $: '\\$',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  ß: '{\\ss}',
  ø: '{\\o}',
  Ø: '{\\O}',
  æ: '{\\ae}',
  Æ: '{\\AE}',
  œ: '{\\oe}',
  Œ: '{\\OE}',
  ł: '{\\l}',
  Ł: '{\\L}',
  ı: '{\\i}',
};

/**
 * A field value as BibTeX reads it back: braces balanced, LaTeX specials escaped and accented
 * Latin letters as accent commands (`é` → `{\'e}`), so the file works with BibTeX 0.99 as well
 * as biber. Other scripts stay UTF-8, which biber and modern LaTeX read.
 */
export function escapeBibtex(text: string): string {
  const chars = [...text.normalize('NFD')];
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const accent = ACCENTS[chars[i + 1] ?? ''];
    if (accent && /[A-Za-z]/.test(c)) {
      // i and j lose their dot under an accent.
      const base = c === 'i' ? '\\i' : c === 'j' ? '\\j' : c;
      out += /[A-Za-z]/.test(accent) ? `{\\${accent} ${base}}` : `{\\${accent}${base}}`;
      i++;
    } else if (SPECIAL[c]) out += SPECIAL[c];
    else if (/[\u0300-\u036f]/.test(c)) out += '';
    else out += c.normalize('NFC');
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** ASCII letters only: `Müller-Lüdenscheidt` → `mullerludenscheidt`. */
function asciiWord(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const TITLE_STOP_WORDS = new Set(['a', 'an', 'the', 'on', 'of', 'for', 'in', 'to', 'and', 'towards', 'toward', 'is', 'are', 'with']);

/**
 * `dao2024flashattention:2405.14906`: readable like Google Scholar's keys, and unique and stable
 * because the paper id ends it — saving another paper never changes an existing key.
 */
export function citationKey(record: SavedPaperRecord): string {
  const surname = asciiWord(record.authors[0]?.trim().split(/\s+/).at(-1) ?? '') || 'anon';
  const year = record.published?.slice(0, 4) ?? '';
  const word =
    record.title
      .split(/\s+/)
      .map(asciiWord)
      .find((w) => w && !TITLE_STOP_WORDS.has(w)) ?? '';
  const id = record.id.replace(/[^A-Za-z0-9.-]/g, '-');
  return `${surname}${year}${word}:${id}`;
}

/** BibTeX's author list: `A and B`, ending `and others` when the digest counts more authors than it names. */
function authorField(record: SavedPaperRecord): string | undefined {
  const names = record.authors.map((a) => escapeBibtex(a)).filter(Boolean);
  const more = record.authorCount !== undefined && record.authorCount > names.length;
  if (names.length === 0) return more ? 'others' : undefined;
  return more ? [...names, 'others'].join(' and ') : names.join(' and ');
}

export function bibtexEntry(record: SavedPaperRecord): string {
  const fields: [string, string][] = [['title', `{${escapeBibtex(record.title)}}`]];
  const author = authorField(record);
  if (author) fields.push(['author', author]);
  if (record.published) fields.push(['year', record.published.slice(0, 4)]);
  if (record.arxivId) {
    fields.push(['eprint', escapeBibtex(record.arxivId)], ['archivePrefix', 'arXiv']);
  }
  const url = record.arxivId ? `https://arxiv.org/abs/${record.arxivId}` : record.url;
  // A URL is verbatim for the url package; only braces, which would end the field, are left out.
  if (url) fields.push(['url', url.replace(/[{}]/g, encodeURIComponent)]);
  const body = fields.map(([name, value]) => `  ${name} = {${value}}`).join(',\n');
  return `@misc{${citationKey(record)},\n${body}\n}\n`;
}

export function bibtexFile(records: readonly SavedPaperRecord[]): string {
  return records.map(bibtexEntry).join('\n');
}
