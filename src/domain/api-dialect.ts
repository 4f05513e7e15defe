// Which API a request speaks: COS's own, or S3 (SigV4-signed) on the same port. Some names differ between them.
export type ApiDialect = 'cos' | 's3';
