// The COS error codes coslocal can answer with: code -> HTTP status and default message (spec/api-common.md §3.2).
export const catalogue = {
  AccessDenied: { status: 403, message: 'Access Denied.' },
  ActionAccelerateNotSupported: { status: 400, message: 'This operation is not supported for accelerated domains.' },
  // Verbatim from COS's OPTIONS Object example 4, spelling included: clients match on it.
  AccessForbidden: {
    status: 403,
    message:
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Requet-Headers are not whitelisted by the resource's CORS spec",
  },
  // Append Object's two refusals, both 409 [doc: APPEND Object; spec/api-common.md §3.2]. COS's code for a
  // position other than the object's length is AppendPositionErr (OSS calls it PositionNotEqualToLength).
  AppendPositionErr: { status: 409, message: 'Position not equal object length.' },
  ObjectNotAppendable: { status: 409, message: 'The object is not appendable.' },
  AuthorizationHeaderMalformed: { status: 400, message: 'The authorization header you provided is invalid.' },
  AuthorizationQueryParametersError: { status: 400, message: 'Error parsing the X-Amz-Credential parameter.' },
  BadDigest: { status: 400, message: 'The Content-MD5 you specified did not match what we received.' },
  BucketAlreadyExists: { status: 409, message: 'The requested bucket name is not available.' },
  // From COS's older error table (spec/api-common.md §3.2): CreateBucket of a name that exists in another region.
  BucketAlreadyExistsDiffRegion: { status: 409, message: 'The requested bucket name already exists in another region.' },
  BucketAlreadyOwnedByYou: { status: 409, message: 'Your previous request to create the named bucket succeeded and you already own it.' },
  BucketNameTooLong: { status: 400, message: 'The bucket name is too long.' },
  BucketNotEmpty: { status: 409, message: 'The bucket you tried to delete is not empty.' },
  EntityTooSmall: { status: 400, message: 'Your proposed upload is smaller than the minimum allowed object size.' },
  EntityTooLarge: { status: 400, message: 'Your proposed upload exceeds the maximum allowed object size.' },
  // 400 per the current COS error table (older tables say 403; spec/signature.md §5 step 5).
  ExpiredToken: { status: 400, message: 'The provided token has expired.' },
  IncompleteBody: { status: 400, message: 'You did not provide the number of bytes specified by the Content-Length HTTP header.' },
  InternalError: { status: 500, message: 'We encountered an internal error. Please try again.' },
  InvalidAccessKeyId: { status: 403, message: 'The Access Key Id you provided does not exist in our records' },
  InvalidArgument: { status: 400, message: 'Invalid Argument' },
  InvalidChunkSizeError: { status: 403, message: 'Only the last chunk is allowed to have a size less than 8192 bytes' },
  InvalidBucketName: { status: 400, message: 'The specified bucket is not valid.' },
  InvalidDelimiter: { status: 400, message: 'The delimiter must be one character.' },
  IncorrectNumberOfFilesInPostRequest: { status: 400, message: 'POST requires exactly one file upload per request.' },
  InvalidDigest: { status: 400, message: 'The Content-MD5 you specified is not valid.' },
  // S3's answer to an SSE-C algorithm other than AES256 (COS takes the same headers).
  InvalidEncryptionAlgorithmError: { status: 400, message: 'The encryption request you specified is not valid. The valid value is AES256.' },
  InvalidLocationConstraint: { status: 400, message: 'The specified location constraint is not valid.' },
  InvalidPart: {
    status: 400,
    message: "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.",
  },
  InvalidPartOrder: { status: 400, message: 'The list of parts was not in ascending order. The parts list must be specified in order by part number.' },
  // GET of an ARCHIVE / DEEP_ARCHIVE object not restored: 409 in COS's error code list (spec/api-common.md §3.2), where S3 says 403.
  InvalidObjectState: { status: 409, message: 'The operation is not valid for the current state of the object.' },
  InvalidPolicyDocument: { status: 400, message: 'The content of the form does not meet the conditions specified in the policy document.' },
  InvalidRange: { status: 416, message: 'The requested range is not satisfiable' },
  InvalidRegionName: { status: 400, message: 'The specified region is not valid.' },
  InvalidRequest: { status: 400, message: 'Invalid Request' },
  InvalidTag: { status: 400, message: 'The tag provided was not a valid tag.' },
  InvalidTargetBucketForLogging: { status: 400, message: 'The target bucket for logging does not exist, is not owned by you, or is in another region.' },
  InvalidURI: { status: 400, message: "Couldn't parse the specified URI." },
  // POST Bucket inventory: a one-time job's id is a periodic configuration's or another recent job's [doc].
  DuplicateInventoryId: { status: 409, message: 'The inventory id is already used by an inventory configuration or a recent one-time inventory job.' },
  InventoryFull: { status: 400, message: 'The bucket already has the maximum number of inventory configurations.' },
  // Bucket configurations none of which is set (spec/api-common.md §3.2 lists the 404 codes).
  InventoryConfigurationNotFoundError: { status: 404, message: 'The specified inventory configuration does not exist.' },
  KeyTooLong: { status: 400, message: 'Your key is too long.' },
  MalformedXML: { status: 400, message: 'The XML you provided was not well-formed or did not validate against our published schema.' },
  MalformedPOSTRequest: { status: 400, message: 'The body of your POST request is not well-formed multipart/form-data.' },
  MalformedPolicy: { status: 400, message: 'The policy format is invalid.' },
  MethodNotAllowed: { status: 405, message: 'The specified method is not allowed against this resource.' },
  MissingRequestBodyError: { status: 400, message: 'Request body is empty.' },
  MissingContentMD5: { status: 400, message: 'Missing required header for this request: Content-MD5.' },
  NoSuchBucket: { status: 404, message: 'The specified bucket does not exist.' },
  NoSuchVersion: { status: 404, message: 'The specified version does not exist.' },
  NoSuchPolicy: { status: 404, message: 'The specified bucket does not have a bucket policy.' },
  /** S3's name for NoSuchPolicy, which S3 clients test for (boto3 scripts, s3-tests). */
  NoSuchBucketPolicy: { status: 404, message: 'The bucket policy does not exist' },
  NoSuchUpload: {
    status: 404,
    message: 'The specified multipart upload does not exist. The upload ID might be invalid, or the multipart upload might have been aborted or completed.',
  },
  // S3's code for a missing configuration named by id (GET Bucket IntelligentTiering v2).
  NoSuchConfiguration: { status: 404, message: 'The specified configuration does not exist.' },
  NoSuchCORSConfiguration: { status: 404, message: 'The CORS configuration does not exist.' },
  // Not in COS's error table; what cos-nodejs-sdk-v5 getBucketDomain callers see for none [recommended].
  NoSuchDomainConfiguration: { status: 404, message: 'The domain configuration does not exist.' },
  // Not in COS's error table: a domain without a certificate [recommended].
  NoSuchDomainCertificate: { status: 404, message: 'The domain has no certificate.' },
  NoSuchEncryptionConfiguration: { status: 404, message: 'The server side encryption configuration was not found.' },
  NoSuchLifecycleConfiguration: { status: 404, message: 'The lifecycle configuration does not exist.' },
  NoSuchObjectLockConfiguration: { status: 404, message: 'The object lock configuration does not exist.' },
  // Not in COS's error table; the code cos-nodejs-sdk-v5 getBucketReferer reads as none set.
  NoSuchRefererConfiguration: { status: 404, message: 'The referer configuration does not exist.' },
  NoSuchWebsiteConfiguration: { status: 404, message: 'The specified bucket does not have a website configuration.' },
  OriginConfigurationNotFoundError: { status: 404, message: 'The origin configuration does not exist.' },
  ReplicationConfigurationNotFoundError: { status: 404, message: 'The replication configuration was not found.' },
  /** S3's names for NoSuchEncryptionConfiguration and NoSuchObjectLockConfiguration, for S3 callers. */
  ServerSideEncryptionConfigurationNotFoundError: { status: 404, message: 'The server side encryption configuration was not found' },
  ObjectLockConfigurationNotFoundError: { status: 404, message: 'Object Lock configuration does not exist for this bucket' },
  NoSuchKey: { status: 404, message: 'The specified key does not exist.' },
  NoSuchTagSet: { status: 404, message: 'There is no tag set associated with the bucket.' },
  NotImplemented: { status: 501, message: 'A header or query you provided implies functionality that is not implemented.' },
  NotModified: { status: 304, message: 'Not Modified' },
  PreconditionFailed: { status: 412, message: 'At least one of the pre-conditions you specified did not hold.' },
  RequestTimeTooSkewed: { status: 403, message: 'The difference between the request time and the server time is too large.' },
  RestoreNonArchiveObject: { status: 405, message: 'Only objects of an archive storage class can be restored.' },
  RestoreAlreadyInProgress: { status: 409, message: 'Object restore is already in progress.' },
  // COS's 409 for a delete or overwrite of a version under object lock retention [doc: Error Codes]; the message is ours.
  // COS's 409 for a retention date earlier than the one still running [doc: Error Codes]; the message is ours.
  InvalidLockedTime: { status: 409, message: 'The retention period of a locked object can only be extended.' },
  ObjectLocked: { status: 409, message: 'The object is locked: it cannot be deleted or overwritten until its retention period ends.' },
  // Test controls' fault injection answers with these (admin/faults.ts); COS sends them when overloaded.
  // SELECT Object Content [doc: SELECT Object Content, error codes; the names and 400s are S3 Select's]:
  // the request's fields, then the SQL, then the object's data (these may come as an error event).
  MissingRequiredParameter: { status: 400, message: 'The SelectRequest entity is missing a required parameter.' },
  InvalidExpressionType: { status: 400, message: 'The ExpressionType is invalid. Only SQL expressions are supported.' },
  ExpressionTooLong: { status: 400, message: 'The SQL expression is too long: the maximum byte-length for the SQL expression is 256 KB.' },
  InvalidRequestParameter: { status: 400, message: 'The value of a parameter in SelectRequest element is invalid.' },
  InvalidFileHeaderInfo: { status: 400, message: 'The FileHeaderInfo is invalid. Only NONE, USE, and IGNORE are supported.' },
  InvalidJsonType: { status: 400, message: 'The JsonType is invalid. Only DOCUMENT and LINES are supported.' },
  InvalidQuoteFields: { status: 400, message: 'The QuoteFields is invalid. Only ALWAYS and ASNEEDED are supported.' },
  InvalidCompressionFormat: { status: 400, message: 'The file is not in a supported compression format. Only GZIP is supported.' },
  ObjectSerializationConflict: { status: 400, message: 'The InputSerialization or OutputSerialization specifies more than one format.' },
  ParseUnexpectedToken: { status: 400, message: 'The SQL expression contains an unexpected token.' },
  UnsupportedSqlStructure: { status: 400, message: 'Encountered an unsupported SQL structure. Check the SQL Reference.' },
  UnsupportedSyntax: { status: 400, message: 'The SQL expression contains unsupported syntax.' },
  UnsupportedFunction: { status: 400, message: 'Encountered an unsupported SQL function.' },
  MissingHeaders: { status: 400, message: 'Some headers in the query are missing from the file. Check the file and try again.' },
  CSVParsingError: { status: 400, message: 'Encountered an error parsing the CSV file. Check the file and try again.' },
  JSONParsingError: { status: 400, message: 'Encountered an error parsing the JSON file. Check the file and try again.' },
  OverMaxRecordSize: { status: 400, message: 'The length of a record in the input or result is greater than maxCharsPerRecord of 1 MB.' },
  CastFailed: { status: 400, message: 'Attempt to convert from one data type to another using CAST failed in the SQL expression.' },
  DivideByZero: { status: 400, message: 'The SQL expression contains a divide by zero error.' },
  IncorrectSqlFunctionArgumentType: { status: 400, message: 'Incorrect type of arguments in function call in the SQL expression.' },
  ServiceUnavailable: { status: 503, message: 'Service is unable to handle request.' },
  SignatureDoesNotMatch: { status: 403, message: 'The Signature you specified is invalid.' },
  SlowDown: { status: 503, message: 'Please reduce your request rate.' },
  TooManyConfigurations: { status: 400, message: 'You are attempting to create a new configuration but have already reached the 1,000-configuration limit.' },
  TooManyBuckets: { status: 400, message: 'You have attempted to create more buckets than allowed.' },
  XAmzContentSHA256Mismatch: { status: 400, message: "The provided 'x-amz-content-sha256' header does not match what was computed." },
  XMLSizeLimit: { status: 400, message: 'The XML you provided was larger than the maximum allowed size.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type CosErrorCode = keyof typeof catalogue;
