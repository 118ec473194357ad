import { hashPassword, verifyPassword } from '../../../app/hil/services/passwords';

describe('operator passwords (scrypt)', () => {
  it('hashes as scrypt$N$r$p$salt$hash with a random salt and verifies only the right password', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain('correct horse');
    expect(await hashPassword('correct horse battery')).not.toBe(hash);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('treats the same text in another Unicode normal form as the same password', async () => {
    const hash = await hashPassword('caf\u00e9-password');
    expect(await verifyPassword('cafe\u0301-password', hash)).toBe(true);
  });

  it('refuses, without throwing, hashes that are not its own or ask for an absurd cost', async () => {
    const good = await hashPassword('pw-123456');
    const [, , r, p, salt, hash] = good.split('$');
    for (const stored of [
      '',
      'plain-text',
      '$2b$12$abcdefghijklmnopqrstuv',
      `scrypt$1000$${r}$${p}$${salt}$${hash}`, // N not a power of two
      `scrypt$${2 ** 24}$${r}$${p}$${salt}$${hash}`, // N too big
      `scrypt$16384$${r}$${p}$$${hash}`, // no salt
      `scrypt$16384$${r}$${p}$${salt}$`, // no hash
      `scrypt$16384$x$${p}$${salt}$${hash}`,
    ]) {
      await expect(verifyPassword('pw-123456', stored)).resolves.toBe(false);
    }
  });
});
