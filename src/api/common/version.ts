// The versionId query parameter before versioning exists: only the current ("null") version can be named.
import { cosError } from '../../errors/cos-error.ts';

/** Empty or `null` address the current object; any other id names a version this bucket cannot have. */
export function checkVersionId(params: ReadonlyMap<string, string>): void {
  const versionId = params.get('versionId');
  if (versionId !== undefined && versionId !== '' && versionId !== 'null') throw cosError('NoSuchVersion');
}
