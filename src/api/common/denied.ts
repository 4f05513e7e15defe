// The error a denied caller gets: COS's plain AccessDenied, or the message hotlink protection answers with.
import { cosError, type CosError } from '../../errors/cos-error.ts';
import type { Verdict } from '../operation.ts';

/** [doc: 访问 COS 时返回403错误码, https://cloud.tencent.com/document/product/436/40105] */
export const REFERER_DENIED = 'You are denied by bucket referer rule';

export function deniedError(verdict: Exclude<Verdict, { effect: 'allow' }>): CosError {
  return verdict.layer === 'referer' ? cosError('AccessDenied', { message: REFERER_DENIED }) : cosError('AccessDenied');
}
