// ACL input (x-cos-acl, x-cos-grant-* headers, AccessControlPolicy XML) and output, as COS and its SDKs shape them.
import {
  ALL_USERS,
  ANYONE_ID,
  AUTHENTICATED_USERS,
  BUCKET_CANNED,
  MAX_GRANTS,
  OBJECT_CANNED,
  PERMISSIONS,
  S3_ALL_USERS,
  S3_AUTHENTICATED_USERS,
  cannedGrants,
  type Acl,
  type CannedAcl,
  type Grant,
  type Grantee,
  type Permission,
} from '../../domain/acl.ts';
import { camId } from '../../domain/identity.ts';
import type { RequestContext } from '../operation.ts';
import { readCheckedBody } from './params.ts';
import { cosError } from '../../errors/cos-error.ts';
import type { ApiDialect } from '../../domain/api-dialect.ts';
import { asArray, parseXml, renderXml, textOf, type XmlNode } from '../../http/xml.ts';

export type AclTarget = 'bucket' | 'object';

/** `default` (objects only) means "no ACL of its own"; otherwise an explicit ACL. */
export type AclChoice = { kind: 'default' } | { kind: 'acl'; acl: Acl };

const GRANT_HEADERS: ReadonlyArray<readonly [string, Permission]> = [
  ['x-cos-grant-read', 'READ'],
  ['x-cos-grant-write', 'WRITE'],
  ['x-cos-grant-read-acp', 'READ_ACP'],
  ['x-cos-grant-write-acp', 'WRITE_ACP'],
  ['x-cos-grant-full-control', 'FULL_CONTROL'],
];

const CAM_ID = /^qcs::cam::uin\/(\d+):uin\/(\d+)$/;
const invalid = (message: string): Error => cosError('InvalidArgument', { message });

/** An ID in XML bodies: the full CAM form, or the legacy "anyone" id, which we store as AllUsers. */
function granteeFromId(id: string): Grantee {
  if (id === ANYONE_ID) return { type: 'Group', uri: ALL_USERS };
  if (!CAM_ID.test(id)) throw invalid(`Invalid grantee id ${id}: expected qcs::cam::uin/<uin>:uin/<uin>`);
  return { type: 'CanonicalUser', id };
}

type GroupUri = typeof ALL_USERS | typeof AUTHENTICATED_USERS;

/**
 * S3's names for the same two groups. Either name is accepted and stored as COS's; each dialect reads
 * its own back: s3cmd `setacl --acl-private` looks for S3's AllUsers URI to decide whether there is a
 * public grant to remove, and the Python SDK's canned-ACL detection compares COS's.
 */
const S3_URI_OF: Readonly<Record<GroupUri, string>> = { [ALL_USERS]: S3_ALL_USERS, [AUTHENTICATED_USERS]: S3_AUTHENTICATED_USERS };
const S3_GROUPS: ReadonlyMap<string, GroupUri> = new Map([
  [S3_ALL_USERS, ALL_USERS],
  [S3_AUTHENTICATED_USERS, AUTHENTICATED_USERS],
]);

const groupUriFor = (uri: GroupUri, dialect: ApiDialect): string => (dialect === 's3' ? S3_URI_OF[uri] : uri);

function granteeFromUri(uri: string): Grantee {
  if (uri === ALL_USERS || uri === AUTHENTICATED_USERS) return { type: 'Group', uri };
  const cos = S3_GROUPS.get(uri);
  if (cos !== undefined) return { type: 'Group', uri: cos };
  throw invalid(`Invalid grantee uri ${uri}`);
}

/**
 * One header grantee: `id="qcs::cam::uin/R:uin/S"`, the doc's short `id="R"` / `id="R/S"`, the
 * legacy `uin="R"` of the official signature example, or `uri="<group>"` (spec/acl.md §5).
 */
function granteeFromHeaderItem(item: string): Grantee {
  const match = /^(id|uri|uin)\s*=\s*"([^"]*)"$/i.exec(item.trim());
  if (!match) throw invalid(`Invalid grant header value ${item.trim()}`);
  const [, kind = '', value = ''] = match;
  switch (kind.toLowerCase()) {
    case 'uri':
      return granteeFromUri(value);
    case 'uin':
      if (!/^\d+$/.test(value)) throw invalid(`Invalid uin ${value}`);
      return { type: 'CanonicalUser', id: camId(value, value) };
    default: {
      const short = /^(\d+)(?:\/(\d+))?$/.exec(value);
      if (short?.[1]) return { type: 'CanonicalUser', id: camId(short[1], short[2] ?? short[1]) };
      return granteeFromId(value);
    }
  }
}

const granteeKey = (g: Grantee): string => (g.type === 'Group' ? g.uri : g.id);

/** Removes duplicate grants and enforces the per-target rules shared by headers and bodies. */
function finish(grants: Grant[], target: AclTarget): Grant[] {
  const seen = new Set<string>();
  const unique = grants.filter((g) => {
    const key = `${granteeKey(g.grantee)} ${g.permission}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (target === 'object' && unique.some((g) => g.permission === 'WRITE')) {
    throw invalid('WRITE is not a permission objects support');
  }
  if (unique.length > MAX_GRANTS) throw invalid(`An ACL holds at most ${MAX_GRANTS} grants; got ${unique.length}`);
  return unique;
}

export function hasAclHeaders(headers: Readonly<Record<string, string | undefined>>): boolean {
  return headers['x-cos-acl'] !== undefined || GRANT_HEADERS.some(([name]) => headers[name] !== undefined);
}

/**
 * The ACL the headers ask for, or undefined when they carry none. Grant headers make the ACL their
 * grants alone, without the owner's FULL_CONTROL entry (the owner's control needs no grant, spec/acl.md
 * §1): COS's official SDK suite reads back exactly the grants it sent. With COS a canned value
 * beside them adds only its group grants (`public-read` + grants still reads as public-read, as the
 * Node SDK's test expects); S3 refuses the two together.
 */
export function aclFromHeaders(
  headers: Readonly<Record<string, string | undefined>>,
  target: AclTarget,
  ownerUin: string,
  dialect: ApiDialect,
): AclChoice | undefined {
  if (!hasAclHeaders(headers)) return undefined;
  const cannedHeader = headers['x-cos-acl'];
  const allowed: readonly string[] = target === 'bucket' ? BUCKET_CANNED : OBJECT_CANNED;
  if (cannedHeader !== undefined && !allowed.includes(cannedHeader)) throw invalid(`Invalid x-cos-acl ${cannedHeader} for a ${target}`);
  const canned = (cannedHeader ?? 'private') as CannedAcl;
  const extra: Grant[] = [];
  for (const [name, permission] of GRANT_HEADERS) {
    const value = headers[name];
    if (value === undefined) continue;
    for (const item of value.split(',')) if (item.trim() !== '') extra.push({ grantee: granteeFromHeaderItem(item), permission });
  }
  if (canned === 'default') {
    if (extra.length > 0) throw invalid('x-cos-acl: default cannot be combined with grant headers');
    return { kind: 'default' };
  }
  if (extra.length === 0) {
    const grants = cannedGrants(canned, ownerUin);
    return { kind: 'acl', acl: cannedHeader !== undefined ? { grants, canned } : { grants } };
  }
  if (dialect === 's3' && cannedHeader !== undefined) {
    throw cosError('InvalidRequest', { message: 'Specifying both Canned ACLs and Header Grants is not allowed' });
  }
  const cannedGroups = cannedGrants(canned, ownerUin).filter((g) => g.grantee.type === 'Group');
  return { kind: 'acl', acl: { grants: finish([...cannedGroups, ...extra], target) } };
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

const GRANTEE_TYPES = ['Group', 'CanonicalUser', 'RootAccount', 'SubAccount'];

/**
 * An AccessControlPolicy body. SDKs differ (spec/acl.md §6.1): Node sends no namespace and no type,
 * Go a plain `type` attribute, Python a `<Type>` child; the grantee's kind is inferred from URI or ID.
 */
export function aclFromXml(text: string, target: AclTarget, ownerUin: string): Acl {
  const policy = record(parseXml(text)['AccessControlPolicy']);
  if (!policy) throw cosError('MalformedXML', { detail: 'root element is not AccessControlPolicy' });
  const ownerId = textOf(record(policy['Owner'])?.['ID']);
  if (ownerId === undefined) throw cosError('MalformedXML', { detail: 'Owner/ID missing' });
  if (ownerId !== camId(ownerUin, ownerUin)) throw invalid(`Owner ${ownerId} is not the owner of this ${target}`);
  const list = policy['AccessControlList'];
  const grants = asArray(record(list)?.['Grant']).map((item): Grant => {
    const grant = record(item);
    const grantee = record(grant?.['Grantee']);
    if (!grant || !grantee) throw cosError('MalformedXML', { detail: 'Grant without Grantee' });
    const type = textOf(grantee['@_type']) ?? textOf(grantee['Type']);
    if (type !== undefined && !GRANTEE_TYPES.includes(type)) throw invalid(`Unknown grantee type ${type}`);
    const permission = textOf(grant['Permission']);
    if (permission === undefined || !(PERMISSIONS as readonly string[]).includes(permission)) throw invalid(`Invalid Permission ${permission ?? ''}`);
    const uri = textOf(grantee['URI']);
    const id = textOf(grantee['ID']);
    if (uri !== undefined) return { grantee: granteeFromUri(uri), permission: permission as Permission };
    if (id !== undefined) return { grantee: granteeFromId(id), permission: permission as Permission };
    throw cosError('MalformedXML', { detail: 'Grantee has neither ID nor URI' });
  });
  return { grants: finish(grants, target) };
}

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/**
 * GET ...?acl body. Every Grantee declares xmlns:xsi with xsi:type exactly Group / CanonicalUser; a
 * Group holds only its URI (Python's canned-ACL detection compares the whole element); DisplayName
 * repeats the ID as COS does (spec/acl.md §6.2). Group URIs are the caller's dialect's.
 */
export function renderAcl(ownerUin: string, grants: readonly Grant[], dialect: ApiDialect): string {
  const owner = camId(ownerUin, ownerUin);
  const grantNodes: XmlNode[] = (dialect === 's3' ? groupsFirst(grants) : grants).map((g) => ({
    Grantee:
      g.grantee.type === 'Group'
        ? { '@_xmlns:xsi': XSI, '@_xsi:type': 'Group', URI: groupUriFor(g.grantee.uri, dialect) }
        : { '@_xmlns:xsi': XSI, '@_xsi:type': 'CanonicalUser', ID: g.grantee.id, DisplayName: g.grantee.id },
    Permission: g.permission,
  }));
  return renderXml('AccessControlPolicy', {
    Owner: { ID: owner, DisplayName: owner },
    AccessControlList: { Grant: grantNodes },
  });
}

/**
 * S3 callers get the group grants first, as Ceph RGW lists them: s3-tests' check_grants compares in
 * that order (it sorts by DisplayName only when the first grant has one, and then fails on a group's
 * missing DisplayName).
 */
const groupsFirst = (grants: readonly Grant[]): Grant[] => [
  ...grants.filter((g) => g.grantee.type === 'Group'),
  ...grants.filter((g) => g.grantee.type !== 'Group'),
];

/** ACL documents are small: 100 grants of ~300 bytes each fit well within 64 KiB. */
const ACL_BODY_LIMIT = 64 * 1024;

/**
 * The ACL a PUT ...?acl asks for: headers or a body, not both. COS documents disagree on header +
 * body; we answer InvalidRequest "header acl and body acl conflict" (spec/acl.md §6.1).
 */
export async function readAclRequest(ctx: RequestContext, target: AclTarget, ownerUin: string): Promise<AclChoice> {
  const body = await readCheckedBody(ctx.body, ctx.headers, ACL_BODY_LIMIT);
  const fromHeaders = aclFromHeaders(ctx.headers, target, ownerUin, ctx.dialect);
  if (fromHeaders && body.length > 0) throw cosError('InvalidRequest', { message: 'header acl and body acl conflict' });
  if (fromHeaders) return fromHeaders;
  if (body.length === 0) throw cosError('MissingRequestBodyError');
  return { kind: 'acl', acl: aclFromXml(body.toString('utf8'), target, ownerUin) };
}
