// Does an ACL grant this caller a permission? (spec/acl.md §1, §2; pure)
import { ALL_USERS, type Acl, type Grant, type Permission } from '../../domain/acl.ts';
import { principalId, type Principal } from '../../domain/identity.ts';

/**
 * A grant to a CAM id admits exactly that identity: a grant to root account B does not reach B's
 * sub-accounts, which need B's own authorization (a user policy) [doc, spec/policy.md §7].
 * AuthenticatedUsers is any validly signed request; AllUsers is everyone, anonymous included.
 */
function admits(grant: Grant, principal: Principal, id: string): boolean {
  const g = grant.grantee;
  if (g.type === 'Group') return g.uri === ALL_USERS || principal.kind === 'user';
  return g.id === id;
}

/** `withoutAllUsers`: a bucket-policy Deny to "anyone" matched, so the anonymous pass (AllUsers) admits nobody. */
export function findGrant(acl: Acl, principal: Principal, permission: Permission, withoutAllUsers = false): Grant | undefined {
  const id = principalId(principal);
  return acl.grants.find(
    (g) =>
      (g.permission === permission || g.permission === 'FULL_CONTROL') &&
      !(withoutAllUsers && g.grantee.type === 'Group' && g.grantee.uri === ALL_USERS) &&
      admits(g, principal, id),
  );
}

export function describeGrant(grant: Grant): string {
  const who = grant.grantee.type === 'Group' ? grant.grantee.uri : grant.grantee.id;
  return `${grant.permission} granted to ${who}`;
}
