// Global acceleration (PUT/GET Bucket accelerate): validated and stored; the acceleration endpoint serves
// every bucket whatever this says. [doc: PUT Bucket Accelerate, https://cloud.tencent.com/document/product/436/38869]
import { group, oneOf, optional, required } from '../config-schema.ts';
import type { ConfigDocument } from './document.ts';

export const ACCELERATE: ConfigDocument = {
  kind: 'accelerate',
  root: 'AccelerateConfiguration',
  schema: group(required('Status', oneOf('Enabled', 'Suspended')), optional('Type', oneOf('COS'))),
  // Never set: an empty AccelerateConfiguration, as S3 answers (the SDK reads it as no Status).
  absent: 'empty',
};
