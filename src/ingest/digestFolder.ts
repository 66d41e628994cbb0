import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Paper, ParseIssue } from '../model/paper.js';
import { parseCorpusPausing } from '../parser/corpus.js';
import { parseFile } from '../parser/loadDigests.js';
import { mergePapers, mergePapersPausing } from '../parser/merge.js';
import type { DigestInfo, FileParseResult, ParseOptions } from '../parser/result.js';
import { CORPUS_DAYS, CORPUS_PAPERS, fingerprintOf, inputKeys, listInputs } from './inputs.js';

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
}

interface Accepted {
  key: string;
  result: FileParseResult;
}

/**
 * The digests folder as parsed per file, so a change re-reads only the files that changed and a
 * deleted file takes exactly its own appearances with it. A file that cannot be used is
 * reported and leaves what the folder had before.
 */
export class DigestFolder {
  private readonly accepted = new Map<string, Accepted>();
  /** Stat key last looked at per file, good or bad: a bad file is reported once per version. */
  private readonly looked = new Map<string, string>();
  private readonly problems = new Map<string, ParseIssue[]>();

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
        if (this.accepted.delete(name)) change.removed.push(name);
      }
    }
    let candidates = [...current].filter(([name, key]) => this.looked.get(name) !== key);
    if (candidates.length > 0 && this.options.settle) {
      await this.options.settle();
      const again = inputKeys(await listInputs(this.root));
      change.unsettled = candidates.filter(([name, key]) => again.get(name) !== key).map(([name]) => name);
      candidates = candidates.filter(([name, key]) => again.get(name) === key);
    }
    for (const [name, key] of candidates) {
      const result = await this.parse(name);
      this.looked.set(name, key);
      this.problems.set(name, result.issues);
      if (isRejected(result)) {
        change.rejected.push(...result.issues.filter((i) => i.severity === 'error'));
        continue;
      }
      (this.accepted.has(name) ? change.changed : change.added).push(name);
      this.accepted.set(name, { key, result });
    }
    return change;
  }

  /** Every paper once, repeats across files merged (latest upvotes, every appearance). */
  papers(): Paper[] {
    return mergePapers(this.sorted().flatMap((a) => a.result.papers));
  }

  /** The same, pausing between batches so a running bot keeps answering. */
  papersPausing(): Promise<Paper[]> {
    return mergePapersPausing(this.sorted().flatMap((a) => a.result.papers));
  }

  /** Digest days with at least one paper: an empty weekend response is not a digest day. */
  digests(): DigestInfo[] {
    return this.sorted()
      .flatMap((a) => (a.result.digest && a.result.digest.entries > 0 ? [a.result.digest] : []))
      .sort((a, b) => a.date.localeCompare(b.date) || a.file.localeCompare(b.file));
  }

  /** Fingerprint of every file version looked at: what an index built now reflects. */
  fingerprint(salt: string): string {
    return fingerprintOf(this.looked, salt);
  }

  /** Files whose papers are in use. */
  files(): string[] {
    return [...this.accepted.keys()].sort();
  }

  /** The latest problems of every file, with the path as the user can open it. */
  issues(): ParseIssue[] {
    return [...this.problems.values()].flat().map((i) => ({ ...i, file: join(this.root, i.file) }));
  }

  private sorted(): Accepted[] {
    return [...this.accepted.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  }

  private async parse(name: string): Promise<FileParseResult> {
    let raw: Buffer;
    try {
      raw = await readFile(join(this.root, name));
    } catch (err) {
      return { papers: [], inferred: [], issues: [{ file: name, line: 0, message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, severity: 'error' }] };
    }
    if (posix.basename(name) !== CORPUS_PAPERS) return parseFile(name, raw.toString('utf8'), this.options.parseOptions());
    // The corpus stays bytes: decoding 150 MB as one string would hold the bot up for a second.
    const daysName = posix.join(posix.dirname(name), CORPUS_DAYS);
    const daysRaw = await readFile(join(this.root, daysName), 'utf8').catch(() => undefined);
    const corpus = await parseCorpusPausing(name, raw, daysRaw === undefined ? undefined : daysName, daysRaw);
    return { papers: corpus.papers, issues: corpus.issues, inferred: [] };
  }
}

/** A file that gave nothing but errors (bad JSON, wrong shape, unreadable): keep what we had. */
function isRejected(r: FileParseResult): boolean {
  return r.papers.length === 0 && r.digest === undefined && r.issues.some((i) => i.severity === 'error');
}
