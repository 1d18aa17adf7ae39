# Gannet's Python bootstrap: the Lambda Runtime API client for python3.x functions.
# Standard library only. Loop: GET next -> build context from the headers -> call the handler
# -> POST the JSON result or Lambda's error body. Started by the pool with Lambda's environment.
import importlib
import importlib.util
import json
import logging
import os
import sys
import time
import traceback
import http.client

PREFIX = "/2018-06-01/runtime"
TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
# One kept-alive connection to the Runtime API: a new TCP connection per call costs ~0.3 ms.
_conn = http.client.HTTPConnection(os.environ["AWS_LAMBDA_RUNTIME_API"])


def request(method, path, body=None, headers=None):
    _conn.request(method, PREFIX + path, body=body, headers=headers or {})
    resp = _conn.getresponse()
    return resp, resp.read()


def post(path, body, headers=None):
    # The pool attributes output to the invocation in progress: flush it before reporting.
    sys.stdout.flush()
    sys.stderr.flush()
    request("POST", path, body, headers)


def error_body(exc, request_id=None, error_type=None):
    tb = traceback.extract_tb(exc.__traceback__)
    # Lambda drops the bootstrap's own frames: keep frames from user code onwards.
    frames = [f for f in tb if not f.filename.endswith("bootstrap.py")]
    body = {
        "errorMessage": str(exc),
        "errorType": error_type or type(exc).__name__,
        "requestId": request_id or "",
        "stackTrace": traceback.format_list(frames),
    }
    if request_id is None:
        del body["requestId"]
    return body


def log_error(body):
    """`[ERROR] Type: message` and the traceback under it, as Lambda's Python runtime logs an error."""
    lines = ["[ERROR] %s: %s" % (body["errorType"], body["errorMessage"])]
    if body.get("stackTrace"):
        lines.append("Traceback (most recent call last):")
        for element in body["stackTrace"]:
            lines.extend(element.splitlines() or [""])
    print("\n".join(lines), flush=True)


class InitError(Exception):
    def __init__(self, error_type, message, cause=None):
        super().__init__(message)
        self.error_type = error_type
        self.cause = cause


def load_handler(handler):
    module_path, _, func_name = handler.rpartition(".")
    if not module_path or not func_name:
        raise InitError("Runtime.MalformedHandlerName", "Bad handler '%s': not enough values to unpack (expected 2, got 1)" % handler)
    module_name = module_path.replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except SyntaxError as exc:
        raise InitError("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_name, exc), exc)
    except ImportError as exc:
        raise InitError("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, exc), exc)
    func = getattr(module, func_name, None)
    if func is None:
        raise InitError("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (func_name, module_name))
    return func


class CognitoIdentity:
    def __init__(self, raw):
        self.cognito_identity_id = raw.get("cognitoIdentityId")
        self.cognito_identity_pool_id = raw.get("cognitoIdentityPoolId")


class ClientContext:
    def __init__(self, raw):
        self.client = raw.get("client")
        self.custom = raw.get("custom")
        self.env = raw.get("env")


class LambdaContext:
    def __init__(self, request_id, deadline_ms, invoked_arn, client_context, identity):
        self.aws_request_id = request_id
        self.invoked_function_arn = invoked_arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"))
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.client_context = ClientContext(json.loads(client_context)) if client_context else None
        self.identity = CognitoIdentity(json.loads(identity)) if identity else None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline_ms - time.time() * 1000))


class RequestIdFilter(logging.Filter):
    request_id = ""

    def filter(self, record):
        record.aws_request_id = RequestIdFilter.request_id
        return True


class LambdaFormatter(logging.Formatter):
    # [INFO]\t2024-01-31T12:34:56.789Z\t<request id>\tmessage
    def format(self, record):
        record.message = record.getMessage()
        when = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + ".%03dZ" % record.msecs
        text = "[%s]\t%s\t%s\t%s" % (record.levelname, when, getattr(record, "aws_request_id", ""), record.message)
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text.replace("\n", "\r")  # one record per line, as Lambda's log stream keeps it


def setup_logging():
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(LambdaFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.handlers = [handler]
    # Lambda leaves the root logger at WARNING unless a log level is configured.
    root.setLevel(os.environ.get("AWS_LAMBDA_LOG_LEVEL") or logging.WARNING)


class BotocoreEndpointHook:
    """Points boto3/botocore clients without an explicit endpoint at Gannet's AWS endpoint.

    Current boto3 reads AWS_ENDPOINT_URL itself; older versions (Debian 12 ships 1.26) ignore
    it, so the hook patches botocore.session.Session.create_client when botocore is first
    imported. It also makes S3 use path-style addressing, since bucket host names do not
    resolve locally. Importing botocore eagerly would add ~150 ms to every cold start.
    """

    def __init__(self, endpoint):
        self.endpoint = endpoint

    def find_spec(self, name, path=None, target=None):
        if name != "botocore.session":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        endpoint = self.endpoint
        original_exec = loader.exec_module

        def exec_module(module):
            original_exec(module)
            patch_session(module.Session, endpoint)

        loader.exec_module = exec_module
        return spec


def patch_session(session_cls, endpoint):
    original = session_cls.create_client
    if getattr(original, "_gannet", False):
        return

    def create_client(self, service_name, *args, **kwargs):
        if kwargs.get("endpoint_url") is None and len(args) < 4:
            kwargs["endpoint_url"] = endpoint
            if service_name == "s3":
                from botocore.config import Config
                path_style = Config(s3={"addressing_style": "path"})
                given = kwargs.get("config")
                kwargs["config"] = given.merge(path_style) if given is not None else path_style
        return original(self, service_name, *args, **kwargs)

    create_client._gannet = True
    session_cls.create_client = create_client


def main():
    sys.path.insert(0, TASK_ROOT)
    os.chdir(TASK_ROOT)
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    if endpoint:
        sys.meta_path.insert(0, BotocoreEndpointHook(endpoint))
    setup_logging()
    try:
        handler = load_handler(os.environ["_HANDLER"])
    except InitError as exc:
        body = {"errorMessage": str(exc), "errorType": exc.error_type, "requestId": "", "stackTrace": []}
        print("[ERROR] %s: %s" % (exc.error_type, exc), flush=True)
        post("/init/error", json.dumps(body).encode(), {"Lambda-Runtime-Function-Error-Type": exc.error_type})
        sys.exit(1)
    except Exception as exc:  # code that raises at import time
        body = error_body(exc, "", "Runtime.ImportModuleError")
        body["errorMessage"] = "Unable to import module '%s': %s" % (os.environ["_HANDLER"].rpartition(".")[0], exc)
        log_error(body)
        post("/init/error", json.dumps(body).encode(), {"Lambda-Runtime-Function-Error-Type": "Runtime.ImportModuleError"})
        sys.exit(1)

    while True:
        resp, raw = request("GET", "/invocation/next")
        if resp.status != 200:
            sys.exit(1)  # the Runtime API asks the runtime to exit
        request_id = resp.headers["Lambda-Runtime-Aws-Request-Id"]
        deadline = int(resp.headers.get("Lambda-Runtime-Deadline-Ms", "0"))
        arn = resp.headers.get("Lambda-Runtime-Invoked-Function-Arn")
        client_context = resp.headers.get("Lambda-Runtime-Client-Context")
        identity = resp.headers.get("Lambda-Runtime-Cognito-Identity")
        trace_id = resp.headers.get("Lambda-Runtime-Trace-Id")
        if trace_id:
            os.environ["_X_AMZN_TRACE_ID"] = trace_id
        RequestIdFilter.request_id = request_id
        context = LambdaContext(request_id, deadline, arn, client_context, identity)
        try:
            event = json.loads(raw) if raw else None
            result = handler(event, context)
            try:
                body = json.dumps(result).encode()
            except (TypeError, ValueError) as exc:
                raise_marshal(request_id, exc)
                continue
            post("/invocation/%s/response" % request_id, body)
        except Exception as exc:
            err = error_body(exc, request_id)
            log_error(err)
            post("/invocation/%s/error" % request_id, json.dumps(err).encode(),
                 {"Lambda-Runtime-Function-Error-Type": "Unhandled"})


def raise_marshal(request_id, exc):
    err = {"errorMessage": "Unable to marshal response: %s" % exc, "errorType": "Runtime.MarshalError",
           "requestId": request_id, "stackTrace": []}
    post("/invocation/%s/error" % request_id, json.dumps(err).encode(),
         {"Lambda-Runtime-Function-Error-Type": "Runtime.MarshalError"})


if __name__ == "__main__":
    main()
