// GET/HEAD on a bucket's static website endpoint: index documents for folders, routing-rule redirects, the
// error document with its status. The request is authorized as GET Object on the path's key; every other
// key served (an index or error document) is decided on its own, so the website shows only what the
// caller could read through the API. Errors are HTML pages (pipeline/errors.ts).
import { CosError, cosError } from '../errors/cos-error.ts';
import { emptyReply, type Reply } from '../http/respond.ts';
import type { Bucket } from '../domain/bucket.ts';
import type { ObjectRecord, ObjectVersion } from '../domain/object.ts';
import { errorRule, keyPath, prefixRule, redirectedKey, servedKey, websiteOf, type Website, type WebsiteRedirect } from '../domain/website.ts';
import type { OperationId } from '../routing/operations.ts';
import { ACTION_OF } from '../authz/actions.ts';
import { requireReadable } from '../domain/restore.ts';
import { contentKey } from './common/sse.ts';
import { readContent } from '../storage/object-content.ts';
import { deniedError, REFERER_DENIED } from './common/denied.ts';
import { objectFacts } from './common/facts.ts';
import { objectHeaders } from './common/object-headers.ts';
import { deniedRead, versionHeaders } from './common/version.ts';
import { defineOperation, type Operation, type RequestContext } from './operation.ts';

const redirect = (ctx: RequestContext, status: number, protocol: string | undefined, key: string): Reply =>
  // coslocal speaks plain HTTP: a redirect without a Protocol stays on http.
  emptyReply(status, { location: `${protocol ?? 'http'}://${ctx.headers['host'] ?? ''}${keyPath(key)}` });

const redirectBy = (ctx: RequestContext, rule: WebsiteRedirect, key: string): Reply => redirect(ctx, rule.status, rule.protocol, redirectedKey(key, rule));

const exists = (object: ObjectVersion | undefined): object is ObjectRecord => object !== undefined && !object.deleteMarker;

const load = (ctx: RequestContext, bucket: Bucket, key: string): Promise<ObjectVersion | undefined> => ctx.meta.getVersion(bucket.name, key, undefined);

/** What the pipeline loaded and authorized for the path's own key (the operation needs it): not read or decided again. */
interface Site {
  bucket: Bucket;
  site: Website;
  routed: ObjectVersion | undefined;
}

/**
 * The object at `key` with `status`, if it exists and the caller may read it (and an archived one was
 * restored); the read's refusal when it may not. Other keys than the path's are decided here, with the
 * route's action (GetObject for GET, HeadObject for HEAD), as the path's own was.
 */
async function readable(ctx: RequestContext, { bucket, routed }: Site, key: string, status = 200): Promise<Reply | undefined> {
  const own = key === (ctx.route.key ?? '');
  const object = own ? routed : await load(ctx, bucket, key);
  if (!own) {
    const verdict = ctx.decide({ action: ACTION_OF[ctx.route.id], bucket: ctx.bucketFacts(bucket.name, bucket), key, ...objectFacts(object) });
    if (verdict.effect !== 'allow') throw verdict.layer === 'referer' ? deniedError(verdict) : deniedRead(ctx, { bucket, object });
  }
  if (!exists(object)) return undefined;
  requireReadable(object, ctx.now);
  // A browser sends no customer key: an SSE-C page is refused as GET Object refuses a read without one.
  const decryptWith = contentKey(ctx, object.encryption, undefined);
  const headers = { ...objectHeaders(object, { params: new Map(), dialect: ctx.dialect, now: ctx.now }), ...versionHeaders(bucket, object), 'content-length': object.size };
  return { status, headers, ...(ctx.route.id === 'GetWebsiteObject' && { body: readContent(ctx.blobs, object, undefined, decryptWith) }) };
}

/** The page for `asked`: its object, its `.html` twin (AutoAddressing), or a redirect to its folder (S3: `/docs` -> `/docs/`). */
async function page(ctx: RequestContext, at: Site, asked: string): Promise<Reply> {
  const { bucket, site } = at;
  const key = servedKey(asked, site);
  const found = (await readable(ctx, at, key)) ?? (site.autoAddressing && !/\.[^/]*$/.test(key) ? await readable(ctx, at, `${key}.html`) : undefined);
  if (found) return found;
  if (key === asked && exists(await load(ctx, bucket, `${asked}/${site.indexSuffix}`))) return redirect(ctx, 302, undefined, `${asked}/`);
  throw cosError('NoSuchKey');
}

/** A 4xx the page ended in: a routing rule for its status redirects; else the error document, with the status or 200. */
async function errorAnswer(ctx: RequestContext, at: Site, asked: string, error: CosError): Promise<Reply> {
  const { site } = at;
  const rule = errorRule(error.status, site);
  if (rule) return redirectBy(ctx, rule.redirect, asked);
  const doc = site.errorDocument;
  let reply: Reply | undefined;
  try {
    reply = doc && (await readable(ctx, at, doc.key, doc.originalStatus ? error.status : 200));
  } catch (docError) {
    // An error document the caller may not read leaves the page's own error, as a missing one does.
    if (!(docError instanceof CosError)) throw docError;
  }
  if (reply) return reply;
  throw error;
}

const websiteOperation = (id: OperationId): Operation =>
  defineOperation({
    id,
    authorize: 'route',
    needs: { bucket: 'required', object: true },
    whenDenied: deniedRead,
    async run(ctx, { bucket, object }) {
      if (!bucket.website) throw cosError('NoSuchWebsiteConfiguration');
      const site = websiteOf(bucket.website);
      const at: Site = { bucket, site, routed: object };
      const asked = ctx.route.key ?? '';
      if (site.redirectAllToHttps) return redirect(ctx, 301, 'https', asked);
      const rule = prefixRule(asked, site);
      if (rule) return redirectBy(ctx, rule.redirect, asked);
      try {
        return await page(ctx, at, asked);
      } catch (error) {
        // A hotlink refusal is not a page error: it gets no error document either.
        const pageError = error instanceof CosError && (error.status === 403 || error.status === 404) && error.message !== REFERER_DENIED;
        if (!pageError) throw error;
        return errorAnswer(ctx, at, asked, error);
      }
    },
  });

export const getWebsiteObject = websiteOperation('GetWebsiteObject');
export const headWebsiteObject = websiteOperation('HeadWebsiteObject');
