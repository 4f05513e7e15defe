// CosError: a COS error reply in the making (code from the catalogue, optional detail and extra XML fields).
import { catalogue, type CosErrorCode } from './catalogue.ts';

export interface CosErrorOptions {
  /** Overrides the catalogue message (e.g. AccessDenied "Request has expired"). */
  message?: string;
  /** Extra elements written after Message, in order (ServerTime, StringToSign, FormatString...). */
  fields?: ReadonlyArray<readonly [string, string]>;
  headers?: Readonly<Record<string, string>>;
  /** Overrides the catalogue status (an injected fault: a 504 with InternalError's body). */
  status?: number;
  /** Why, for the server log only; never sent to the client. */
  detail?: string;
}

export class CosError extends Error {
  readonly code: CosErrorCode;
  readonly status: number;
  readonly fields: ReadonlyArray<readonly [string, string]>;
  readonly headers: Readonly<Record<string, string>>;
  readonly detail: string | undefined;

  constructor(code: CosErrorCode, options: CosErrorOptions = {}) {
    const entry = catalogue[code];
    super(options.message ?? entry.message);
    this.name = 'CosError';
    this.code = code;
    this.status = options.status ?? entry.status;
    this.fields = options.fields ?? [];
    this.headers = options.headers ?? {};
    this.detail = options.detail;
  }
}

export const cosError = (code: CosErrorCode, options?: CosErrorOptions): CosError => new CosError(code, options);
