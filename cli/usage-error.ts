/** A mistake on the command line itself (a malformed argument, contradicting flags): the CLI exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
