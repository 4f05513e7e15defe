// PUT/GET/DELETE of a schema-validated bucket configuration (domain/configs/): one definition for every
// kind, so each operation file names its kind and nothing else.
import type { Bucket } from '../../domain/bucket.ts';
import { readTree, type ConfigTree, type GroupRule } from '../../domain/config-schema.ts';
import { CONFIG_BODY_LIMIT, type ConfigDocument } from '../../domain/configs/document.ts';
import { cosError } from '../../errors/cos-error.ts';
import { emptyReply, xmlReply, type Reply } from '../../http/respond.ts';
import { readSmallBody } from '../../http/small-body.ts';
import { parseXml, renderXml } from '../../http/xml.ts';
import type { OperationId } from '../../routing/operations.ts';
import { defineOperation, type Operation, type RequestContext } from '../operation.ts';
import { deleteBucketSetting, putBucketSetting } from './bucket-settings.ts';
import { checkBodyMd5 } from './params.ts';
import { roleWriter } from './role-write.ts';

/** The request body, its Content-MD5 checked: the SDKs send one with every configuration, and COS checks it when present. */
async function readCheckedBody(ctx: RequestContext): Promise<Buffer> {
  const body = await readSmallBody(ctx.body, ctx.headers, CONFIG_BODY_LIMIT);
  checkBodyMd5(ctx.headers, body, false);
  return body;
}

/** The request body as the canonical tree of `root`; MalformedXML for another root or shape. */
export async function readConfigBody(ctx: RequestContext, root: string, schema: GroupRule, body?: Buffer): Promise<ConfigTree> {
  body ??= await readCheckedBody(ctx);
  const parsed = parseXml(body.toString('utf8'));
  const names = Object.keys(parsed).filter((name) => !name.startsWith('?'));
  if (names.length !== 1 || names[0] !== root) throw cosError('MalformedXML', { detail: `the root element must be ${root}` });
  return readTree(parsed[root], schema, root);
}

/** Whether the Role of `source`'s replication may put objects under every prefix in `target`, decided as its requests would be. */
async function roleMayWrite(ctx: RequestContext, source: Bucket, role: string, target: Bucket, prefixes: readonly string[]): Promise<boolean> {
  const write = await roleWriter({ reader: ctx.meta, bucketFacts: ctx.bucketFacts, identityOf: ctx.identityOf }, role, source, ctx.now);
  return prefixes.every((prefix) => write(target, prefix, 'name/cos:PutObject').effect === 'allow');
}

const isEmpty = (tree: ConfigTree): boolean => Object.keys(tree).length === 0;

/** PUT Bucket <kind>: validates the whole document, then replaces the bucket's; 200 with no body [doc]. */
export const putConfigOperation = (id: OperationId, doc: ConfigDocument): Operation =>
  defineOperation({
    id,
    authorize: 'route',
    needs: { bucket: 'required' },
    async run(ctx, { bucket }) {
      const body = await readCheckedBody(ctx);
      if (doc.emptyBodyClears && body.length === 0) {
        await putBucketSetting(ctx, bucket.name, doc.kind, {});
        return emptyReply(200);
      }
      const tree = await readConfigBody(ctx, doc.root, doc.schema, body);
      if (doc.emptyDeletes && isEmpty(tree)) {
        await deleteBucketSetting(ctx, bucket.name, doc.kind);
        return emptyReply(200);
      }
      await doc.check?.(tree, { bucket, findBucket: (name) => ctx.meta.getBucket(name), roleMayWrite: (role, target, prefixes) => roleMayWrite(ctx, bucket, role, target, prefixes) });
      await putBucketSetting(ctx, bucket.name, doc.kind, tree);
      return emptyReply(200);
    },
  });

/** GET Bucket <kind>: the document as stored, in schema order; the kind's 404 (or an empty root) when none. */
export const getConfigOperation = (id: OperationId, doc: ConfigDocument): Operation =>
  defineOperation({
    id,
    authorize: 'route',
    needs: { bucket: 'required' },
    async run(ctx, { bucket }): Promise<Reply> {
      const tree = bucket[doc.kind];
      if (tree) return xmlReply(renderXml(doc.root, tree));
      if (doc.absent === 'empty') return xmlReply(renderXml(doc.root, {}));
      throw cosError(ctx.dialect === 's3' && doc.absentForS3 ? doc.absentForS3 : doc.absent);
    },
  });

/** DELETE Bucket <kind>: 204 whether or not one was set [doc]. */
export const deleteConfigOperation = (id: OperationId, doc: ConfigDocument): Operation =>
  defineOperation({
    id,
    authorize: 'route',
    needs: { bucket: 'required' },
    async run(ctx, { bucket }) {
      await deleteBucketSetting(ctx, bucket.name, doc.kind);
      return emptyReply(204);
    },
  });
