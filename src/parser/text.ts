/** Text clean-up shared by every parser: the inputs are scraped pages and API dumps. */

/** Share of control characters above which a file is treated as binary, not text. */
const BINARY_RATIO = 0.02;

export function looksBinary(raw: string): boolean {
  if (raw.includes('\u0000')) return true;
  let bad = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) bad++;
  }
  return raw.length > 0 && bad / raw.length > BINARY_RATIO;
}

/** BOM, CRLF / CR, tabs, stray control characters and trailing spaces removed; one entry per line. */
export function toLines(raw: string): string[] {
  return raw
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) =>
      line
        .replace(/\t/g, ' ')
        // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
        .replace(/[\u0000-\u0008\u000B-\u001F\u007F\uFFFD]/g, '')
        .trimEnd(),
    );
}

/** Titles and abstracts come wrapped and double-spaced; readers want one clean line. */
export function collapseWhitespace(text: string): string {
  // Most titles and abstracts are already clean: testing is far cheaper than rebuilding them.
  return NEEDS_COLLAPSING.test(text) ? text.replace(/\s+/g, ' ').trim() : text;
}

/** Whitespace other than a single inner space: a tab or newline, two spaces, or one at either end. */
const NEEDS_COLLAPSING = /[^\S ]| {2}|^ | $/;

/** The key two entries share when they are the same paper, whatever their casing or punctuation. */
export function titleKey(title: string): string {
  return collapseWhitespace(
    title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' '),
  );
}
