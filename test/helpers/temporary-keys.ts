// Temporary keys as the admin endpoint issues them, and a cos-nodejs-sdk-v5 client that uses one the way STS users do.
import COS from 'cos-nodejs-sdk-v5';

/** The answer of POST /_coslocal/v1/temporary-keys (the qcloud-cos-sts SDK's result shape). */
export interface TemporaryKeyReply {
  credentials: { tmpSecretId: string; tmpSecretKey: string; sessionToken: string };
  startTime: number;
  expiredTime: number;
  expiration: string;
}

/** An SDK client using temporary credentials through its getAuthorization callback. */
export const sdkWithTemporaryKey = (hostPort: string, key: TemporaryKeyReply): COS =>
  new COS({
    Protocol: 'http:',
    Ip: hostPort,
    getAuthorization: (_options, callback) =>
      callback({
        TmpSecretId: key.credentials.tmpSecretId,
        TmpSecretKey: key.credentials.tmpSecretKey,
        SecurityToken: key.credentials.sessionToken,
        StartTime: key.startTime,
        ExpiredTime: key.expiredTime,
      }),
  });
