// Region names a bucket can be created in, and which buckets an endpoint serves.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { endpointServes, isRegionName, servedBucket } from './region.ts';

it('knows COS region names from other words', () => {
  for (const name of ['ap-guangzhou', 'ap-beijing-1', 'na-siliconvalley', 'ap-shanghai-fsi', 'eu-frankfurt']) assert.ok(isRegionName(name), name);
  for (const name of ['gz', 'accelerate', 'cosgz', 'ap-', 'AP-GUANGZHOU', 'ap_guangzhou', '']) assert.ok(!isRegionName(name), name);
});

it("serves a bucket on its own region's endpoint, the acceleration endpoint and hosts naming no region", () => {
  assert.ok(endpointServes('ap-chengdu', 'ap-chengdu'));
  assert.ok(endpointServes(undefined, 'ap-chengdu'));
  assert.ok(endpointServes('accelerate', 'ap-chengdu'));
  assert.ok(!endpointServes('ap-beijing', 'ap-chengdu'));
  const bucket = { name: 'b-1250000000', region: 'ap-chengdu' };
  assert.equal(servedBucket(bucket, 'ap-chengdu'), bucket);
  assert.equal(servedBucket(bucket, 'ap-beijing'), undefined);
  assert.equal(servedBucket(undefined, undefined), undefined);
});
