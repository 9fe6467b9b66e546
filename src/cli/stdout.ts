/**
 * Resolves once everything written to stdout so far has been handed to the
 * system. Into a pipe Node writes stdout asynchronously, so a closing line
 * on stderr written before then lands among the rows when both streams go
 * to one pipe (`2>&1 | less`). A pipe closed by its reader ends the process
 * (process-guards.ts): nothing is left waiting on this then.
 */
export function stdoutFlushed(): Promise<void> {
  if (process.stdout.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => process.stdout.write('', () => resolve()));
}
