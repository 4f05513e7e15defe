// Which API a request speaks: COS's own, or S3 (SigV4- or SigV2-signed) on the same port. Some names and shapes differ between them.
export type ApiDialect = 'cos' | 's3';
