// The actions explain accepts: COS API names in their forms, aliases, operation names and S3 actions; others refused.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { explainAction } from './explain-action.ts';

it('maps every accepted spelling to the COS action the request is authorized as', () => {
  const cases: Array<[string, string]> = [
    ['GetObject', 'name/cos:GetObject'],
    ['name/cos:GetObject', 'name/cos:GetObject'],
    ['cos:PutBucketACL', 'name/cos:PutBucketACL'],
    ['PutObjectCopy', 'name/cos:PutObject'],
    ['ListObjectsV2', 'name/cos:GetBucket'],
    ['GetBucketAcl', 'name/cos:GetBucketACL'],
    ['s3:GetObject', 'name/cos:GetObject'],
    ['s3:getobjectversion', 'name/cos:GetObject'],
    ['S3:ListBucket', 'name/cos:GetBucket'],
    ['s3:PutBucketCORS', 'name/cos:PutBucketCORS'],
    ['s3:ListMultipartUploadParts', 'name/cos:ListParts'],
  ];
  for (const [name, action] of cases) assert.equal(explainAction(name), action, name);
});

it('refuses an unknown name with the nearest known ones', () => {
  assert.throws(() => explainAction('GetObjekt'), { message: 'unknown action GetObjekt (did you mean GetObject or PutObject?)' });
  assert.throws(() => explainAction('name/cos:getobject'), { message: 'unknown action name/cos:getobject (did you mean GetObject?)' });
  assert.throws(() => explainAction('s3:GetObjekt'), { message: /^unknown S3 action s3:GetObjekt \(did you mean s3:GetObject/ });
  assert.throws(() => explainAction('Frobnicate'), { message: 'unknown action Frobnicate' });
  assert.throws(() => explainAction('s3:'), { message: /^unknown action s3:/ });
});
