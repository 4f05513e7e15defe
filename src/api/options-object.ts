// OPTIONS Object: a CORS preflight, answered from the bucket's CORS rules alone (the first matching rule wins).
import { corsHeaders, findCorsRule, requestedHeaders } from '../domain/cors.ts';
import { cosError } from '../errors/cos-error.ts';
import { emptyReply } from '../http/respond.ts';
import { defineOperation } from './operation.ts';

/**
 * Browsers send preflights without credentials and COS says none is needed or possible [doc:
 * OPTIONS Object], so nothing is authenticated or decided here: the bucket owner's CORS rules are
 * the permission. A missing bucket answers like a bucket without rules, so a preflight reveals no
 * more than the rules themselves [recommended].
 */
export const optionsObject = defineOperation({
  id: 'OptionsObject',
  authorize: 'none',
  needs: { bucket: 'optional' },
  async run(ctx, { bucket }) {
    const origin = ctx.headers['origin'];
    const method = ctx.headers['access-control-request-method'];
    // COS does not document these two; S3's wording, with COS's generic InvalidRequest [recommended].
    if (origin === undefined || origin === '') {
      throw cosError('InvalidRequest', { message: 'Insufficient information. Origin request header needed.' });
    }
    if (method === undefined || method === '') {
      throw cosError('InvalidRequest', { message: 'Insufficient information. Access-Control-Request-Method request header needed.' });
    }
    const request = { origin, method, headers: requestedHeaders(ctx.headers['access-control-request-headers']) };
    const rule = bucket?.cors && findCorsRule(bucket.cors, request);
    if (!bucket?.cors || !rule) throw cosError('AccessForbidden', { detail: `no CORS rule allows ${method} from ${origin}` });
    return emptyReply(200, corsHeaders(bucket.cors, rule, request, true));
  },
});
