/**
 * A refusal of an export, import or migration, in words for the operator: the operator API turns
 * it into its error kinds, the CLI prints the message as it is.
 */
export class TransferError extends Error {
  constructor(
    /** invalid: the file or request; not_found: no such account; conflict: the database's state */
    readonly kind: 'invalid' | 'not_found' | 'conflict',
    message: string,
  ) {
    super(message);
    this.name = 'TransferError';
  }
}
