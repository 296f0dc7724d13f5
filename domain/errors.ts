/**
 * An error whose message is meant for the person: one line that says what went wrong and what to do.
 * Anything else that reaches the top level is a bug and is reported as such.
 */
export class UserError extends Error {
  constructor(
    message: string,
    /** Process exit code for the CLI: 1 failure, 2 bad usage. */
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** The database could not be reached; people are told to try again shortly. */
export class DatabaseUnavailableError extends UserError {
  constructor(detail: string) {
    super(`the database is unavailable (${detail}): check DATABASE_URL or start the database server, then try again`);
    this.name = 'DatabaseUnavailableError';
  }
}
