// Certificates of custom domains (PUT/GET/DELETE Bucket DomainCertificate): the certificate and key are
// checked (PEM, the key is the certificate's, the certificate covers each domain, each domain is one of
// the bucket's), then only what GET answers is kept per domain: no private key is stored. HTTPS is not
// served on them. [doc: PUT Bucket DomainCertificate; the response shape is cos-go-sdk-v5's
// BucketGetDomainCertificateResult]
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { cosError } from '../../errors/cos-error.ts';
import { childOf, group, invalidArgument, itemsOf, oneOf, optional, repeated, required, text, textOfChild, type ConfigTree } from '../config-schema.ts';
import { HOST_NAME } from './domain.ts';

export const DOMAIN_CERTIFICATE_ROOT = 'DomainCertificate';

export const DOMAIN_CERTIFICATE_SCHEMA = group(
  required(
    'CertificateInfo',
    group(
      required('CertType', oneOf('CustomCert')),
      required('CustomCert', group(optional('CertId', text()), required('Cert', text()), required('PrivateKey', text()))),
    ),
  ),
  // A certificate serves the bucket's domains, of which there are at most 20 [doc: PUT Bucket domain].
  required('DomainList', group(repeated('DomainName', text({ pattern: HOST_NAME, error: 'InvalidArgument' }), 20, { atLeastOne: true }))),
);

const seconds = (date: string): string => String(Math.floor(Date.parse(date) / 1000));

function readCertificate(cert: string, privateKey: string): X509Certificate {
  try {
    const certificate = new X509Certificate(cert);
    if (certificate.checkPrivateKey(createPrivateKey(privateKey))) return certificate;
  } catch {
    // Not PEM, or not a certificate or key: answered below like a key that does not match.
  }
  throw invalidArgument('The certificate or its private key is invalid, or they do not match');
}

/**
 * One record per domain of the request: the domain, the certificate's id and validity (Unix seconds),
 * what GET Bucket DomainCertificate answers. `boundDomains` are the bucket's custom domains.
 */
export function certificateRecords(tree: ConfigTree, boundDomains: readonly string[]): ConfigTree[] {
  const custom = childOf(childOf(tree, 'CertificateInfo') ?? {}, 'CustomCert') ?? {};
  const certificate = readCertificate(textOfChild(custom, 'Cert') ?? '', textOfChild(custom, 'PrivateKey') ?? '');
  const bound = new Set(boundDomains.map((name) => name.toLowerCase()));
  const names = childOf(tree, 'DomainList')?.['DomainName'];
  return (Array.isArray(names) ? names : []).map((entry) => {
    const name = String(entry);
    if (!bound.has(name.toLowerCase())) throw invalidArgument(`${name} is not a custom domain of this bucket`);
    if (certificate.checkHost(name) === undefined) throw invalidArgument(`The certificate does not cover ${name}`);
    return {
      DomainName: name.toLowerCase(),
      CertId: textOfChild(custom, 'CertId') ?? '',
      ValidityBegin: seconds(certificate.validFrom),
      ValidityExpire: seconds(certificate.validTo),
    };
  });
}

/** The bucket's custom domain names (its domain configuration). */
export const boundDomains = (domain: ConfigTree | undefined): string[] => itemsOf(domain ?? {}, 'DomainRule').map((rule) => textOfChild(rule, 'Name') ?? '');

/** The records with these added, replacing those of the same domains, in domain order. */
export function withCertificates(current: readonly ConfigTree[], added: readonly ConfigTree[]): ConfigTree[] {
  const replaced = new Set(added.map((record) => record['DomainName']));
  return [...current.filter((record) => !replaced.has(record['DomainName'])), ...added].sort((a, b) => (String(a['DomainName']) < String(b['DomainName']) ? -1 : 1));
}

/** The domain GET and DELETE name (`?domaincertificate&domainname=`), lower-cased. */
export function domainNameParam(params: ReadonlyMap<string, string>): string {
  const name = params.get('domainname');
  if (name === undefined || !HOST_NAME.test(name)) throw invalidArgument('domainname is missing or not a domain name');
  return name.toLowerCase();
}

/** GET's answer for one domain; 404 NoSuchDomainCertificate when it has none. */
export function certificateOf(records: readonly ConfigTree[] | undefined, name: string): ConfigTree {
  const record = (records ?? []).find((item) => item['DomainName'] === name);
  if (!record) throw cosError('NoSuchDomainCertificate');
  const { CertId = '', ValidityBegin = '', ValidityExpire = '' } = record;
  return { Status: 'ENABLED', CertificateInfo: { CertId, ValidityBegin, ValidityExpire } };
}
