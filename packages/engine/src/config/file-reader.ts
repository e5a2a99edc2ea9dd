/** A directory entry as configuration discovery needs it. */
export interface DirectoryEntry {
  readonly name: string;
  readonly isDirectory: boolean;
}

/**
 * The file access configuration loading needs, injected so the core does no I/O of its own.
 * Paths are absolute.
 */
export interface FileReader {
  /** The file's text, or undefined when it does not exist. */
  readText(path: string): Promise<string | undefined>;
  /** Entries of a directory, or an empty list when it does not exist. */
  list(path: string): Promise<readonly DirectoryEntry[]>;
}
