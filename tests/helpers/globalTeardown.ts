/** After the test run: stops the embedded server globalSetup started and removes its files. */
export default async function globalTeardown(): Promise<void> {
  const cluster = (globalThis as { embeddedTestCluster?: { stop(): Promise<void> } }).embeddedTestCluster;
  await cluster?.stop();
}
