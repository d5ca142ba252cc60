/** What the CLI needs from the outside world, so tests can run it in-process. */
export interface CliIO {
  out(s: string): void;
  err(s: string): void;
  readFile(path: string): Promise<string>;
  cwd: string;
  /** Write a file (render --out: text, or bytes for --format png); absent in read-only test harnesses. */
  writeFile?(path: string, data: string | Uint8Array): Promise<void>;
}

/** Bad input: message to stderr, exit code 2 (the CLI (README)). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
