"""Says hello, the Lambda way, in Python."""
import json
import logging
import os

logger = logging.getLogger()
logger.setLevel(logging.INFO)


def hello(event, context):
    name = (event or {}).get("name") or ((event or {}).get("queryStringParameters") or {}).get("name") or "world"
    logger.info("greeting %s", name)
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps({"message": "%s, %s!" % (os.environ["GREETING"], name), "requestId": context.aws_request_id}),
    }


def fail(event, context):
    raise ValueError("this function always fails")
