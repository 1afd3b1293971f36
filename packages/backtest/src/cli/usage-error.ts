/**
 * A bad command line: names the flag and what is wrong with it. The CLI prints it with a
 * pointer to `--help` and exits with code 2, as command-line tools do for usage errors.
 */
export class UsageError extends Error {
  /** The flag at fault, such as `--fee`, or the command word. */
  readonly flag: string;

  /** Creates the error: `flag: problem`. */
  constructor(flag: string, problem: string) {
    super(`${flag}: ${problem}`);
    this.name = 'UsageError';
    this.flag = flag;
  }
}
