/**
 * Waits until `check` holds, looking every 20 ms; throws `timed out: <what>` after `timeoutMs`. For what
 * the gateway records a moment after the thing a test sees (a push reaches the fake before the store
 * says delivered).
 */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(what === '' ? 'timed out' : `timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
