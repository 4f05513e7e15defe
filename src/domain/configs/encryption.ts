// Default encryption (PUT/GET/DELETE Bucket encryption): validated and stored; objects are not encrypted
// by it. [doc: PUT Bucket encryption, https://cloud.tencent.com/document/product/436/40136]
import { childOf, group, invalidArgument, itemsOf, oneOf, optional, repeated, required, text, textOfChild } from '../config-schema.ts';
import type { ConfigDocument } from './document.ts';

export const ENCRYPTION: ConfigDocument = {
  kind: 'encryption',
  root: 'ServerSideEncryptionConfiguration',
  schema: group(
    repeated(
      'Rule',
      group(
        required('ApplyServerSideEncryptionByDefault', group(required('SSEAlgorithm', oneOf('AES256', 'KMS', 'SM4')), optional('KMSMasterKeyID', text())), {
          // cos-nodejs-sdk-v5 documents (index.d.ts EncryptionRule) and its own tests send this name.
          aliases: ['ApplySideEncryptionConfiguration'],
        }),
      ),
      1,
      { atLeastOne: true },
    ),
  ),
  check(tree) {
    for (const rule of itemsOf(tree, 'Rule')) {
      const byDefault = childOf(rule, 'ApplyServerSideEncryptionByDefault') ?? {};
      if (byDefault['KMSMasterKeyID'] !== undefined && textOfChild(byDefault, 'SSEAlgorithm') !== 'KMS') {
        throw invalidArgument('KMSMasterKeyID is allowed only with SSEAlgorithm KMS');
      }
    }
  },
  absent: 'NoSuchEncryptionConfiguration',
  absentForS3: 'ServerSideEncryptionConfigurationNotFoundError',
};
