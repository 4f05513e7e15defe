// The key cache over the store: a key revoked by another process is refused once the recheck is due.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MemoryMetadata } from '../storage/memory/memory-metadata.ts';
import { storeKeyring } from './store-keyring.ts';

/** A store whose credentials version answers only when let through (a slow round trip to PostgreSQL). */
class GatedVersion extends MemoryMetadata {
  gate: Promise<void> = Promise.resolve();

  override async credentialsVersion(): Promise<number> {
    await this.gate;
    return super.credentialsVersion();
  }
}

it('a look-up made while a due check is under way waits for it, so a key revoked meanwhile is refused', async () => {
  const meta = new GatedVersion();
  await meta.tx(async (tx) => {
    await tx.putAccount({ uin: '1', appid: '1250000000', name: 'owner' });
    await tx.putCredential({ secretId: 'AKIDrevoked', secretKey: 'k', ownerUin: '1', uin: '1' });
  });
  const keyring = storeKeyring(meta, 60_000);
  assert.ok(await keyring.find('AKIDrevoked'), 'found and cached');
  await meta.tx((tx) => tx.deleteCredential('AKIDrevoked'));
  keyring.recheck();
  let letThrough = (): void => undefined;
  meta.gate = new Promise((resolve) => (letThrough = resolve));
  const first = keyring.find('AKIDother');
  const second = keyring.find('AKIDrevoked');
  letThrough();
  assert.equal(await first, undefined);
  assert.equal(await second, undefined, 'not answered from the cache the check is about to drop');
  await meta.close();
});
