"""Drives cos-python-sdk-v5 against coslocal for test/interop/cos-python-sdk.test.ts: one scenario per invocation,
its facts as JSON on stdout. SDK exceptions are not caught unless the scenario is about them: a KeyError or a
CosServiceError ends the run with its traceback, which is what the test then reports."""
import hashlib
import json
import os
import sys

from qcloud_cos import CosConfig, CosS3Client, CosServiceError
from qcloud_cos.version import __version__ as sdk_version

PORT = int(os.environ["COSLOCAL_PORT"])


def client(region, identity="OWNER"):
    """The configuration the README gives: the SDK's own URLs, with real COS host names, sent to coslocal as its proxy."""
    return CosS3Client(
        CosConfig(
            Region=region,
            SecretId=os.environ[f"COSLOCAL_{identity}_ID"],
            SecretKey=os.environ[f"COSLOCAL_{identity}_KEY"],
            Scheme="http",
            Proxies={"http": f"http://127.0.0.1:{PORT}"},
        )
    )


def ip_client(region):
    """The README's other configuration: connect to IP:Port, send Host: <bucket>.cos.<region>.myqcloud.com."""
    return CosS3Client(
        CosConfig(
            Region=region,
            SecretId=os.environ["COSLOCAL_OWNER_ID"],
            SecretKey=os.environ["COSLOCAL_OWNER_KEY"],
            Scheme="http",
            IP="127.0.0.1",
            Port=PORT,
            # list_buckets ignores IP/Port: it goes to service.cos.myqcloud.com unless told otherwise.
            ServiceDomain=f"127.0.0.1:{PORT}",
        )
    )


def service_error(call):
    """The CosServiceError a call fails with, as facts; None when it succeeds."""
    try:
        call()
    except CosServiceError as e:
        return {"code": e.get_error_code(), "status": e.get_status_code()}
    return None


def body_of(response):
    return response["Body"].get_raw_stream().read()


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def grants(acl):
    listed = acl["AccessControlList"]["Grant"]
    listed = listed if isinstance(listed, list) else [listed]
    return sorted(f"{g['Grantee'].get('URI') or g['Grantee'].get('ID')}:{g['Permission']}" for g in listed)


def create_bucket(region, bucket):
    client(region).create_bucket(Bucket=bucket)
    return {}


def list_buckets(config):
    c = client("ap-guangzhou") if config == "proxy" else ip_client("ap-guangzhou")
    listed = c.list_buckets()["Buckets"]["Bucket"]
    return [{"Name": b["Name"], "Location": b["Location"]} for b in listed]


def ip_port(region, bucket, key, text):
    """Put, head and get through IP/Port: what works without a proxy."""
    c = ip_client(region)
    c.put_object(Bucket=bucket, Key=key, Body=text.encode())
    return {"Content-Length": c.head_object(Bucket=bucket, Key=key)["Content-Length"], "body": body_of(c.get_object(Bucket=bucket, Key=key)).decode()}


def put_head(region, bucket, key, text):
    c = client(region)
    put = c.put_object(Bucket=bucket, Key=key, Body=text.encode(), ContentType="text/markdown; charset=utf-8", Metadata={"x-cos-meta-author": "coslocal"})
    head = c.head_object(Bucket=bucket, Key=key)
    return {
        "putETag": put["ETag"],
        "ETag": head["ETag"],
        "Content-Length": head["Content-Length"],
        "Content-Type": head["Content-Type"],
        "Last-Modified": head["Last-Modified"],
        "author": head["x-cos-meta-author"],
    }


def get_ranges(region, bucket, key):
    c = client(region)
    out = {}
    for r in ["bytes=0-4", "bytes=6-", "bytes=-5"]:
        got = c.get_object(Bucket=bucket, Key=key, Range=r)
        out[r] = {"Content-Range": got["Content-Range"], "Content-Length": got["Content-Length"], "body": body_of(got).decode()}
    return out


def content_types(region, bucket):
    """Objects put without a ContentType: COS infers it from the key's extension."""
    c = client(region)
    out = {}
    for key in ["inferred/report.txt", "inferred/archive.zip", "inferred/page.html"]:
        c.put_object(Bucket=bucket, Key=key, Body=b"x")
        out[key] = c.head_object(Bucket=bucket, Key=key)["Content-Type"]
    return out


def delete_object(region, bucket, key):
    c = client(region)
    c.delete_object(Bucket=bucket, Key=key)
    return {"head": service_error(lambda: c.head_object(Bucket=bucket, Key=key)), "get": service_error(lambda: c.get_object(Bucket=bucket, Key=key))}


def upload_file(region, bucket, key, path, part_mb):
    put = client(region).upload_file(Bucket=bucket, Key=key, LocalFilePath=path, PartSize=int(part_mb), MAXThread=4)
    return {"ETag": put["ETag"]}


def upload_buffer(region, bucket, key, path, part_mb):
    """upload_file_from_buffer reads a stream: parts of PartSize MB, the last one shorter."""
    with open(path, "rb") as stream:
        put = client(region).upload_file_from_buffer(Bucket=bucket, Key=key, Body=stream, PartSize=int(part_mb), MAXThread=4)
    return {"ETag": put["ETag"]}


def download_file(region, bucket, key, path, part_mb):
    # Objects over PartSize MB are fetched in ranged parts by several threads.
    client(region).download_file(Bucket=bucket, Key=key, DestFilePath=path, PartSize=int(part_mb), MAXThread=4)
    return {"sha256": sha256_file(path)}


def copy(src_region, src_bucket, src_key, region, bucket, key):
    """copy() from another region: with the part-copy threshold lowered it is a multipart Upload Part - Copy."""
    c = client(region)
    c.get_conf().set_copy_part_threshold_size(1024 * 1024)
    c.copy(Bucket=bucket, Key=key, CopySource={"Bucket": src_bucket, "Key": src_key, "Region": src_region}, PartSize=8, MAXThread=4)
    return {"ETag": c.head_object(Bucket=bucket, Key=key)["ETag"]}


def copy_object(src_region, src_bucket, src_key, region, bucket, key):
    c = client(region)
    copied = c.copy_object(
        Bucket=bucket, Key=key, CopySource={"Bucket": src_bucket, "Key": src_key, "Region": src_region}, CopyStatus="Replaced", Metadata={"x-cos-meta-copied": "yes"}
    )
    head = c.head_object(Bucket=bucket, Key=key)
    return {"ETag": copied["ETag"], "copied": head["x-cos-meta-copied"], "Content-Length": head["Content-Length"]}


def part_copy(src_region, src_bucket, big_key, small_key, region, bucket, key):
    """A two-part upload: part 1 the first 5 MiB of big_key (a range), part 2 all of small_key (the SDK's
    default CopySourceRange='', which it sends as an empty header)."""
    c = client(region)
    upload = c.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    source = lambda k: {"Bucket": src_bucket, "Key": k, "Region": src_region}
    first = c.upload_part_copy(Bucket=bucket, Key=key, PartNumber=1, UploadId=upload, CopySource=source(big_key), CopySourceRange=f"bytes=0-{5 * 1024 * 1024 - 1}")
    second = c.upload_part_copy(Bucket=bucket, Key=key, PartNumber=2, UploadId=upload, CopySource=source(small_key))
    parts = [{"PartNumber": 1, "ETag": first["ETag"]}, {"PartNumber": 2, "ETag": second["ETag"]}]
    done = c.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload, MultipartUpload={"Part": parts})
    return {"ETag": done["ETag"]}


def bucket_acl(region, bucket, canned):
    c = client(region)
    c.put_bucket_acl(Bucket=bucket, ACL=canned)
    return {"grants": grants(c.get_bucket_acl(Bucket=bucket))}


def object_acl(region, bucket, key, other_uin):
    """ACL='private' with a GrantRead, as the official suite writes it; then OTHER reads the object."""
    c = client(region)
    grantee = f"qcs::cam::uin/{other_uin}:uin/{other_uin}"
    c.put_object_acl(Bucket=bucket, Key=key, ACL="private", GrantRead=f'id="{grantee}"')
    return {"grants": grants(c.get_object_acl(Bucket=bucket, Key=key)), "otherGets": body_of(client(region, "OTHER").get_object(Bucket=bucket, Key=key)).decode()}


def bucket_policy(region, bucket, key, policy_path):
    c = client(region)
    other = client(region, "OTHER")
    before = service_error(lambda: other.get_object(Bucket=bucket, Key=key))
    with open(policy_path, encoding="utf-8") as f:
        c.put_bucket_policy(Bucket=bucket, Policy=json.load(f))
    read = c.get_bucket_policy(Bucket=bucket)["Policy"]
    during = body_of(other.get_object(Bucket=bucket, Key=key)).decode()
    c.delete_bucket_policy(Bucket=bucket)
    after = service_error(lambda: other.get_object(Bucket=bucket, Key=key))
    return {"before": before, "policy": json.loads(read), "otherGets": during, "after": after}


def versioning(region, bucket, key):
    c = client(region)
    c.put_bucket_versioning(Bucket=bucket, Status="Enabled")
    status = c.get_bucket_versioning(Bucket=bucket)["Status"]
    first = c.put_object(Bucket=bucket, Key=key, Body=b"first")["x-cos-version-id"]
    second = c.put_object(Bucket=bucket, Key=key, Body=b"second")["x-cos-version-id"]
    old = body_of(c.get_object(Bucket=bucket, Key=key, VersionId=first)).decode()
    marker = c.delete_object(Bucket=bucket, Key=key)
    listed = c.list_objects_versions(Bucket=bucket, Prefix=key)
    versions = listed.get("Version", [])
    versions = versions if isinstance(versions, list) else [versions]
    markers = listed.get("DeleteMarker", [])
    markers = markers if isinstance(markers, list) else [markers]
    return {
        "status": status,
        "distinct": first != second,
        "old": old,
        "deleteMarker": marker.get("x-cos-delete-marker"),
        "markerVersion": marker.get("x-cos-version-id"),
        "versions": sorted(v["VersionId"] for v in versions),
        "markers": [m["VersionId"] for m in markers],
        "ids": sorted([first, second]),
        "gone": service_error(lambda: c.get_object(Bucket=bucket, Key=key)),
    }


def presign(region, bucket, key, method):
    c = client(region)
    if method == "GET":
        return {"url": c.get_presigned_download_url(Bucket=bucket, Key=key, Expired=300)}
    return {"url": c.get_presigned_url(Bucket=bucket, Key=key, Method=method, Expired=300)}


def errors(region, bucket, key, missing_bucket):
    c = client(region)
    other = client(region, "OTHER")
    return {
        "getMissingKey": service_error(lambda: c.get_object(Bucket=bucket, Key="no/such/key.txt")),
        "headMissingKey": service_error(lambda: c.head_object(Bucket=bucket, Key="no/such/key.txt")),
        "missingBucket": service_error(lambda: c.get_object(Bucket=missing_bucket, Key=key)),
        "otherGets": service_error(lambda: other.get_object(Bucket=bucket, Key=key)),
        "otherPuts": service_error(lambda: other.put_object(Bucket=bucket, Key="intruder.txt", Body=b"x")),
    }


def empty_bucket(region, bucket):
    """Aborts every multipart upload, deletes every version and delete marker, then the bucket."""
    c = client(region)
    uploads = c.list_multipart_uploads(Bucket=bucket).get("Upload", [])
    for u in uploads if isinstance(uploads, list) else [uploads]:
        c.abort_multipart_upload(Bucket=bucket, Key=u["Key"], UploadId=u["UploadId"])
    listed = c.list_objects_versions(Bucket=bucket)
    entries = []
    for kind in ("Version", "DeleteMarker"):
        found = listed.get(kind, [])
        entries += found if isinstance(found, list) else [found]
    if entries:
        objects = [{"Key": e["Key"], "VersionId": e["VersionId"]} for e in entries]
        result = c.delete_objects(Bucket=bucket, Delete={"Object": objects, "Quiet": "true"})
        if result.get("Error"):
            raise SystemExit(json.dumps(result["Error"]))
    c.delete_bucket(Bucket=bucket)
    return {"head": service_error(lambda: c.head_bucket(Bucket=bucket))}


STEPS = {
    "version": lambda: {"version": sdk_version},
    "create-bucket": create_bucket,
    "list-buckets": list_buckets,
    "ip-port": ip_port,
    "put-head": put_head,
    "get-ranges": get_ranges,
    "content-types": content_types,
    "delete-object": delete_object,
    "upload-file": upload_file,
    "upload-buffer": upload_buffer,
    "download-file": download_file,
    "copy": copy,
    "copy-object": copy_object,
    "part-copy": part_copy,
    "bucket-acl": bucket_acl,
    "object-acl": object_acl,
    "bucket-policy": bucket_policy,
    "versioning": versioning,
    "presign": presign,
    "errors": errors,
    "empty-bucket": empty_bucket,
}

if __name__ == "__main__":
    print(json.dumps(STEPS[sys.argv[1]](*sys.argv[2:])))
