"""Drives python3-boto3 against coslocal for test/interop/boto3.test.ts: one step per invocation, results on stdout."""
import json
import os
import sys

import boto3
from botocore.config import Config


def client():
    region = os.environ["COSLOCAL_REGION"]
    return boto3.client(
        "s3",
        # COS's S3 endpoint, as COS documents it for boto3, with virtual-hosted buckets.
        endpoint_url=f"http://cos.{region}.myqcloud.com",
        region_name=region,
        aws_access_key_id=os.environ["COSLOCAL_ID"],
        aws_secret_access_key=os.environ["COSLOCAL_KEY"],
        # coslocal is the proxy: the real host names need no DNS. COSLOCAL_SIGNATURE=s3 signs with SigV2
        # (botocore's HmacV1Auth / HmacV1QueryAuth).
        config=Config(
            signature_version=os.environ.get("COSLOCAL_SIGNATURE", "s3v4"),
            s3={"addressing_style": "virtual"},
            proxies={"http": os.environ["COSLOCAL_ENDPOINT"]},
        ),
    )


def main(step, *args):
    s3 = client()
    if step == "version":
        print(boto3.__version__)
    elif step == "mb":
        s3.create_bucket(Bucket=args[0])
    elif step == "upload":
        # upload_file's default TransferConfig goes multipart above 8 MB.
        s3.upload_file(args[1], args[0], args[2])
    elif step == "list":
        pages = s3.get_paginator("list_objects_v2").paginate(Bucket=args[0])
        print(json.dumps([{"Key": o["Key"], "Size": o["Size"]} for p in pages for o in p.get("Contents", [])]))
    elif step == "download":
        s3.download_file(args[0], args[1], args[2])
    elif step == "presign":
        print(s3.generate_presigned_url("get_object", Params={"Bucket": args[0], "Key": args[1]}, ExpiresIn=300))
    elif step == "put-acl":
        s3.put_bucket_acl(Bucket=args[0], ACL=args[1])
    elif step == "get-acl":
        acl = s3.get_bucket_acl(Bucket=args[0])
        print(json.dumps([{"Grantee": g["Grantee"], "Permission": g["Permission"]} for g in acl["Grants"]]))
    elif step == "put-policy":
        with open(args[1], encoding="utf-8") as f:
            s3.put_bucket_policy(Bucket=args[0], Policy=f.read())
    elif step == "get-policy":
        print(s3.get_bucket_policy(Bucket=args[0])["Policy"])
    elif step == "delete":
        objects = [{"Key": o["Key"]} for p in s3.get_paginator("list_objects_v2").paginate(Bucket=args[0]) for o in p.get("Contents", [])]
        if objects:
            result = s3.delete_objects(Bucket=args[0], Delete={"Objects": objects})
            if result.get("Errors"):
                raise SystemExit(json.dumps(result["Errors"]))
        s3.delete_bucket(Bucket=args[0])
    else:
        raise SystemExit(f"unknown step {step}")


if __name__ == "__main__":
    main(*sys.argv[1:])
