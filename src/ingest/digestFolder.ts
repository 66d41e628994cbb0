import { join, posix } from 'node:path';
import type { Paper, ParseIssue } from '../model/paper.js';
import { parseCorpus } from '../parser/corpus.js';
import { dateUndatedPages, parseFile, type ParsedFile } from '../parser/loadDigests.js';
import { mergePapers } from '../parser/merge.js';
import type { DigestInfo, FileParseResult, ParseOptions } from '../parser/result.js';
import { CORPUS_DAYS, CORPUS_PAPERS } from '../parser/corpus.js';
import { fingerprintOf, type InputVersion, inputKeys, listInputs, readVersion } from './inputs.js';

/** What one look at the folder changed. */
export interface FolderChange {
  added: string[];
  changed: string[];
  removed: string[];
  /** Files that could not be used at all; what they contributed before (if anything) is kept. */
  rejected: ParseIssue[];
  /** Files still being written (size or time moved while we looked): looked at again later. */
  unsettled: string[];
}

export function hasChanges(c: FolderChange): boolean {
  return c.added.length + c.changed.length + c.removed.length > 0;
}

export interface DigestFolderOptions {
  /** Read per look, so "today" follows the injected clock. */
  parseOptions: () => ParseOptions;
  /**
   * Waited between two looks at a changed file; a file whose size or time moved in between is
   * still being written and is not read yet. 0 trusts writers that write-then-rename.
   */
  settle?: () => Promise<void>;
  /**
   * What a file contributed to the index being replaced, for a file that turns out bad before
   * this folder ever read a good version of it (the bot restarted after the file broke): its
   * papers stay until the file is mended, as they would have in a bot that kept running.
   */
  kept?: (name: string) => Promise<FileParseResult | undefined>;
}

/**
 * The digests folder as parsed per file, so a change re-reads only the files that changed and a
 * deleted file takes exactly its own appearances with it. A file that cannot be used is
 * reported and leaves what the folder had before.
 */
export class DigestFolder {
  private readonly accepted = new Map<string, FileParseResult>();
  /** Version last looked at per file, good or bad: a bad file is reported once per version. */
  private readonly looked = new Map<string, InputVersion>();
  private readonly problems = new Map<string, ParseIssue[]>();
  /** Text of the pages that print no year: they are dated again when the set's year for them changes. */
  private readonly undatedText = new Map<string, string>();

  constructor(
    readonly root: string,
    private readonly options: DigestFolderOptions,
  ) {}

  async sync(): Promise<FolderChange> {
    const change: FolderChange = { added: [], changed: [], removed: [], rejected: [], unsettled: [] };
    const current = inputKeys(await listInputs(this.root));
    for (const name of this.looked.keys()) {
      if (!current.has(name)) {
        this.looked.delete(name);
        this.problems.delete(name);
        this.undatedText.delete(name);
        if (this.accepted.delete(name)) change.removed.push(name);
      }
    }
    let candidates = [...current].filter(([name, key]) => this.looked.get(name)?.stat !== key);
    if (candidates.length > 0 && this.options.settle) {
      await this.options.settle();
      const again = inputKeys(await listInputs(this.root));
      change.unsettled = candidates.filter(([name, key]) => again.get(name) !== key).map(([name]) => name);
      candidates = candidates.filter(([name, key]) => again.get(name) === key);
    }
    for (const [name, stat] of candidates) {
      const { version, input } = await readVersion(this.root, name, stat);
      // Touched, copied or restored with the same bytes: nothing to read again.
      if (this.looked.get(name)?.hash === version.hash) {
        this.looked.set(name, version);
        continue;
      }
      const result = input instanceof Error ? unreadable(name, input) : await this.parse(name, input);
      // Only now: a parse that threw leaves the version to be looked at again.
      this.looked.set(name, version);
      this.problems.set(name, result.issues);
      if (isRejected(result)) {
        change.rejected.push(...result.issues.filter((i) => i.severity === 'error'));
        await this.keepPrevious(name);
        continue;
      }
      (this.accepted.has(name) ? change.changed : change.added).push(name);
      this.accepted.set(name, result);
    }
    for (const name of this.dateUndatedPages()) if (!change.added.includes(name) && !change.changed.includes(name)) change.changed.push(name);
    return change;
  }

  /** Pages without a printed year share one year across the folder (see dateUndatedPages); the names re-dated. */
  private dateUndatedPages(): string[] {
    const files: ParsedFile[] = [...this.accepted].map(([name, result]) => ({ name, raw: this.undatedText.get(name), result }));
    const redated = dateUndatedPages(files, this.options.parseOptions());
    for (const file of files) {
      if (!redated.includes(file.name)) continue;
      this.accepted.set(file.name, file.result);
      this.problems.set(file.name, file.result.issues);
    }
    return redated;
  }

  /** Every paper once, repeats across files merged (latest upvotes, every appearance). */
  papers(): Paper[] {
    return mergePapers(this.sorted().flatMap((r) => r.papers));
  }

  /** Digest days with at least one paper: an empty weekend response is not a digest day. */
  digests(): DigestInfo[] {
    return this.sorted()
      .flatMap((r) => r.digests.filter((d) => d.entries > 0))
      .sort((a, b) => a.date.localeCompare(b.date) || a.file.localeCompare(b.file));
  }

  /** Fingerprint of every file version looked at: what an index built now reflects. */
  fingerprint(salt: string): string {
    return fingerprintOf(this.versions(), salt);
  }

  /** Every file version looked at, for the snapshot (see currentVersions). */
  versions(): Record<string, InputVersion> {
    return Object.fromEntries(this.looked);
  }

  /** Files whose papers are in use. */
  files(): string[] {
    return [...this.accepted.keys()].sort();
  }

  /** The latest problems of every file, with the path as the user can open it. */
  issues(): ParseIssue[] {
    return [...this.problems.values()].flat().map((i) => ({ ...i, file: join(this.root, i.file) }));
  }

  private sorted(): FileParseResult[] {
    return [...this.accepted.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  }

  /** A bad file this folder never read well: what it gave the index being replaced, if anything. */
  private async keepPrevious(name: string): Promise<void> {
    if (this.accepted.has(name)) return;
    const kept = await this.options.kept?.(name);
    if (!kept || (kept.papers.length === 0 && kept.digests.length === 0)) return;
    this.accepted.set(name, kept);
    this.problems.get(name)?.push({ file: name, line: 0, message: `the ${kept.papers.length} papers of its last good version stay in the index until it is mended`, severity: 'warning' });
  }

  private async parse(name: string, input: { raw: Buffer; days?: Buffer }): Promise<FileParseResult> {
    if (posix.basename(name) !== CORPUS_PAPERS) {
      const text = input.raw.toString('utf8');
      const result = parseFile(name, text, this.options.parseOptions());
      if (result.pageYear?.source === 'clock') this.undatedText.set(name, text);
      else this.undatedText.delete(name);
      return result;
    }
    // The corpus stays bytes: each line is decoded as it is reached, never the whole file as one string.
    const daysName = input.days === undefined ? undefined : posix.join(posix.dirname(name), CORPUS_DAYS);
    const corpus = parseCorpus(name, input.raw, daysName, input.days?.toString('utf8'));
    return { digests: corpus.digests, papers: corpus.papers, issues: corpus.issues, inferred: [] };
  }
}

function unreadable(name: string, err: NodeJS.ErrnoException): FileParseResult {
  return { digests: [], papers: [], inferred: [], issues: [{ file: name, line: 0, message: `cannot read: ${err.code ?? err.message}`, severity: 'error' }] };
}

/** A file that gave nothing but errors (bad JSON, wrong shape, unreadable): keep what we had. */
function isRejected(r: FileParseResult): boolean {
  return r.papers.length === 0 && r.digests.length === 0 && r.issues.some((i) => i.severity === 'error');
}
