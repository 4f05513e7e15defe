// The COS ACL model (spec/acl.md): grants of five permissions to CAM users or the two groups, canned ACLs.
import { jsonCodec, type DocumentCodec } from './codec.ts';
import { camId } from './identity.ts';

export const PERMISSIONS = ['READ', 'WRITE', 'READ_ACP', 'WRITE_ACP', 'FULL_CONTROL'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ALL_USERS = 'http://cam.qcloud.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS = 'http://cam.qcloud.com/groups/global/AuthenticatedUsers';
/** S3's names for the same two groups, which S3 clients send and read (api/common/acl-io.ts). */
export const S3_ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const S3_AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
/** The legacy "everyone" CAM id; COS tools send it as a user id, we store it as the AllUsers group (spec/acl.md §5). */
export const ANYONE_ID = 'qcs::cam::anyone:anyone';

export type Grantee = { type: 'CanonicalUser'; id: string } | { type: 'Group'; uri: typeof ALL_USERS | typeof AUTHENTICATED_USERS };

export interface Grant {
  grantee: Grantee;
  permission: Permission;
}

export const BUCKET_CANNED = ['private', 'public-read', 'public-read-write', 'authenticated-read'] as const;
/** `public-read-write` is not an object ACL; `default` means "inherit the bucket's" (spec/acl.md §3, §4). */
export const OBJECT_CANNED = ['default', 'private', 'public-read', 'authenticated-read', 'bucket-owner-read', 'bucket-owner-full-control'] as const;
export type CannedAcl = (typeof BUCKET_CANNED)[number] | (typeof OBJECT_CANNED)[number];

/** An explicit ACL: the full grant list (owner's FULL_CONTROL included) and the canned name it came from, if any. */
export interface Acl {
  grants: Grant[];
  canned?: CannedAcl;
}

/** ACLs as JSON (of buckets, objects and uploads alike). */
export const ACL_CODEC: DocumentCodec<Acl> = jsonCodec<Acl>();

/** COS allows at most 100 grants per ACL [doc]. */
export const MAX_GRANTS = 100;

const group = (uri: typeof ALL_USERS | typeof AUTHENTICATED_USERS, permission: Permission): Grant => ({ grantee: { type: 'Group', uri }, permission });

/** Expands a canned ACL into the grants GET ...?acl returns for it (spec/acl.md §3 table). */
export function cannedGrants(canned: Exclude<CannedAcl, 'default'>, ownerUin: string): Grant[] {
  const owner: Grant = { grantee: { type: 'CanonicalUser', id: camId(ownerUin, ownerUin) }, permission: 'FULL_CONTROL' };
  switch (canned) {
    case 'public-read':
      return [owner, group(ALL_USERS, 'READ')];
    case 'public-read-write':
      return [owner, group(ALL_USERS, 'READ'), group(ALL_USERS, 'WRITE')];
    case 'authenticated-read':
      return [owner, group(AUTHENTICATED_USERS, 'READ')];
    case 'private':
    case 'bucket-owner-read':
    case 'bucket-owner-full-control':
      // The object owner is always the bucket owner, so these equal private for the owner's uploads.
      return [owner];
  }
}

/** A bucket with no stored ACL is private. */
export const privateAcl = (ownerUin: string): Acl => ({ grants: cannedGrants('private', ownerUin), canned: 'private' });
