// The object a request addresses, by key and versionId. Before versioning exists only the current ("null") version can be named.
import type { ObjectRecord } from '../../domain/object.ts';
import { cosError } from '../../errors/cos-error.ts';

/**
 * The loaded object, or the COS error for its absence. Empty or `null` versionId address the current
 * object; any other id names a version this bucket cannot have.
 */
export function requireObject(params: ReadonlyMap<string, string>, object: ObjectRecord | undefined): ObjectRecord {
  const versionId = params.get('versionId');
  if (versionId !== undefined && versionId !== '' && versionId !== 'null') throw cosError('NoSuchVersion');
  if (!object) throw cosError('NoSuchKey');
  return object;
}
