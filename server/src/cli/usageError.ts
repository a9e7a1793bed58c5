/** A command line the CLI cannot run: its message is printed with the usage, exit status 2. */
export class UsageError extends Error {}
