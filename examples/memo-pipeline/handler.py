"""The pipeline's two steps: split a work file into one object per operation, then compute each."""
import json
import os
from urllib.parse import unquote_plus

import boto3

from calculator import calculate

s3 = boto3.client("s3")

WORK_SUFFIX = ".work"


def start_work(event, context):
    """work.json in the work bucket -> one `<name>.work` object per operation in the processing bucket."""
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = unquote_plus(record["s3"]["object"]["key"])
        work = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
        for op in work["ops"]:
            s3.put_object(
                Bucket=os.environ["PROCESSING_BUCKET"],
                Key=op["name"] + WORK_SUFFIX,
                Body=op["op"].encode("utf-8"),
                ContentType="text/plain",
            )
            print("queued %s: %s" % (op["name"], op["op"]))


def compute(event, context):
    """`<name>.work` in the processing bucket -> its result under `<name>` in the results bucket."""
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = unquote_plus(record["s3"]["object"]["key"])
        print("computing %s" % key)
        op = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8")
        name = key[: -len(WORK_SUFFIX)]
        result = calculate(op)
        s3.put_object(
            Bucket=os.environ["RESULTS_BUCKET"],
            Key=name,
            Body=result.encode("utf-8"),
            ContentType="text/plain",
        )
        print("%s = %s" % (op, result))
