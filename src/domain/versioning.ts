// Bucket versioning rules (pure): which version a write creates or replaces, and what a DELETE does.
import { randomBytes } from 'node:crypto';
import type { DocumentCodec } from './codec.ts';

/** A bucket's versioning state; undefined means never enabled (it can never return there). */
export type VersioningStatus = 'Enabled' | 'Suspended';

/** The id of the version written while versioning is off or suspended [doc, spec/api-common.md §6]. */
export const NULL_VERSION = 'null';

/**
 * The version id a new object gets: a fresh id when versioning is Enabled, else `null`. A write
 * replaces the existing version with the same id, so only a `null` write ever replaces anything
 * (the previous null version, object or delete marker), as in S3 and COS.
 */
export function versionIdForWrite(status: VersioningStatus | undefined, freshId: () => string): string {
  return status === 'Enabled' ? freshId() : NULL_VERSION;
}

/** What a DELETE Object (or one multi-delete entry) does. */
export type DeletePlan =
  /** Remove this version permanently (its bytes go once unreferenced). */
  | { kind: 'remove'; versionId: string }
  /** Add a delete marker with this id as the key's newest version (a `null` one replaces the null version). */
  | { kind: 'marker'; versionId: string };

/**
 * With a versionId the named version goes for good; without one, an unversioned bucket removes its
 * (null) object, an Enabled bucket stacks a new delete marker and a Suspended one puts a null delete
 * marker in place of the null version [doc, DELETE Object; S3 semantics COS follows].
 */
export function planDelete(status: VersioningStatus | undefined, versionId: string | undefined, freshId: () => string): DeletePlan {
  if (versionId !== undefined) return { kind: 'remove', versionId };
  if (status === undefined) return { kind: 'remove', versionId: NULL_VERSION };
  return { kind: 'marker', versionId: versionIdForWrite(status, freshId) };
}

/** Parses a PUT Bucket versioning Status; undefined for anything COS does not accept. */
export function parseVersioningStatus(text: string | undefined): VersioningStatus | undefined {
  return text === 'Enabled' || text === 'Suspended' ? text : undefined;
}

/** The status as its word; the bucket's `versioning` configuration document. */
export const VERSIONING_CODEC: DocumentCodec<VersioningStatus> = {
  encode: (status) => status,
  decode(text) {
    const status = parseVersioningStatus(text);
    if (!status) throw new Error(`not a versioning status: ${JSON.stringify(text)}`);
    return status;
  },
};

/** Version ids we mint: 24 URL-safe characters (18 random bytes). COS ids are opaque strings of this kind. */
export const newVersionId = (): string => randomBytes(18).toString('base64url');

/**
 * What a versionId query parameter may look like: ours (base64url) or `null`. [recommended] COS is
 * silent on malformed ids; S3 answers 400 InvalidArgument "Invalid version id specified", and so do we.
 */
export const isWellFormedVersionId = (id: string): boolean => id === NULL_VERSION || /^[A-Za-z0-9_-]{1,128}$/.test(id);
