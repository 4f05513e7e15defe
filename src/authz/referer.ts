// Hotlink protection: whether a bucket's referer rule lets a request's Referer through, and which rule decided.
// [doc: 设置防盗链, https://cloud.tencent.com/document/product/436/13319]: a domain matches every address
// it is a prefix of (`www.example.com` matches `www.example.com.cn` and `www.example.com:8080/a`), with
// or without `http://`/`https://`; `*` stands for any run of host labels (`*.example.com` matches
// `a.b.example.com`). Compared without case, as host names are.
import type { RefererRule } from '../domain/configs/referer.ts';

export interface RefererVerdict {
  readonly allowed: boolean;
  /** The deciding rule, for the log and `coslocal explain`. */
  readonly reason: string;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//;

/** The address without its scheme, lower-cased: what domains are matched against. */
const addressOf = (value: string): string => value.trim().toLowerCase().replace(SCHEME, '');

/**
 * Whether `pattern` is a prefix of `address`, `*` matching any run of characters short of a '/' (a
 * wildcard widens the host, never reaches into the path). Leftmost-first piece search: with no end
 * anchor, the earliest place each piece fits leaves the most room for the rest, so it never misses a match.
 */
function matchesDomain(pattern: string, address: string): boolean {
  const [head = '', ...pieces] = addressOf(pattern).split('*');
  if (!address.startsWith(head)) return false;
  let pos = head.length;
  for (const piece of pieces) {
    const at = address.indexOf(piece, pos);
    if (at < 0 || address.slice(pos, at).includes('/')) return false;
    pos = at + piece.length;
  }
  return true;
}

/** Judges a request's Referer header (undefined when it sent none) against an enabled rule. */
export function judgeReferer(rule: RefererRule, referer: string | undefined): RefererVerdict {
  const address = referer === undefined ? '' : addressOf(referer);
  if (address === '') {
    return { allowed: rule.emptyReferer === 'Allow', reason: `the request has no Referer and EmptyReferConfiguration is ${rule.emptyReferer}` };
  }
  const domain = rule.domains.find((d) => matchesDomain(d, address));
  const shown = JSON.stringify(referer);
  if (rule.list === 'White-List') {
    return domain === undefined
      ? { allowed: false, reason: `Referer ${shown} matches no domain of the White-List` }
      : { allowed: true, reason: `Referer ${shown} matches White-List domain ${domain}` };
  }
  return domain === undefined
    ? { allowed: true, reason: `Referer ${shown} matches no domain of the Black-List` }
    : { allowed: false, reason: `Referer ${shown} matches Black-List domain ${domain}` };
}
