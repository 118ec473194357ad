import { createLeases } from '../../../app/store/advisoryLeases';
import { forEachDatabase } from '../../helpers/databases';

/** One holder per name across instances: session advisory locks, on the embedded server as on PostgreSQL. */
forEachDatabase('leases', (getDb) => {
  it('grants a name to one holder until it lets go', async () => {
    const a = createLeases(getDb());
    const b = createLeases(getDb());
    try {
      expect(await a.tryHold('wecom-ws:bot-1')).toBe(true);
      expect(await a.tryHold('wecom-ws:bot-1')).toBe(true);
      expect(a.holds('wecom-ws:bot-1')).toBe(true);
      expect(await b.tryHold('wecom-ws:bot-1')).toBe(false);
      expect(await b.tryHold('wecom-ws:bot-2')).toBe(true);
      a.close();
      expect(a.holds('wecom-ws:bot-1')).toBe(false);
      await waitFor(() => b.tryHold('wecom-ws:bot-1'));
    } finally {
      a.close();
      b.close();
    }
  });
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the lease was not released');
}
