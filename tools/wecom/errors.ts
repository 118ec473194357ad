/** An error whose message is meant for the operator as is (printed, exit code 1). */
export class CliError extends Error {
  override readonly name = 'CliError';
}
