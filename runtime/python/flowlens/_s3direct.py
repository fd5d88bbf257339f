"""Direct GETs for the S3 data tool: one signed HTTP request per object, without boto3's
per-request machinery.

A boto3 `get_object` costs 1.4-2.2 ms of client CPU (endpoint rules, event hooks, response
parsing) under one GIL, which caps a thread pool at a few hundred small objects a second
whatever the network allows. Here a request is signed with AWS Signature Version 4 by hand
(`sigv4_headers`, checked against botocore's own signer by the tests) and sent on a keep-alive
`http.client` connection per thread: a fraction of the CPU.

boto3 stays in charge of everything else. Credentials, region and endpoint come from its
session and client; any answer other than 200 or a plain 404 (a redirect to another region,
an auth error, throttling, a 5xx), and any connection failure, is handed back to the caller,
which then makes the very same request through boto3 (its retries, redirects and error
messages). Proxies, and AWS endpoints other than the standard regional ones, are left to boto3
altogether. No URL or header of a request ever goes into an error message: they carry a
signature.
"""

import datetime
import email.utils
import hashlib
import hmac
import http.client
import os
import re
import ssl
import threading
from urllib.parse import quote, urlsplit

# The SHA-256 of an empty payload: every GET's.
_EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
# Bucket names that can be a host name label (no dots: a dotted name breaks TLS for
# virtual-hosted addressing, and boto3 then uses path-style).
_DNS_BUCKET = re.compile(r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")
# The standard AWS S3 endpoints: anything else (FIPS, dual-stack, accelerate, other
# partitions' special forms) goes through boto3.
_AWS_ENDPOINT = re.compile(r"^https://s3(\.[a-z0-9-]+)?\.amazonaws\.com$")
_PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy")
_TIMEOUT = 60.0


def _hmac(key, text):
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def sigv4_headers(method, host, path, region, access_key, secret_key, token, now):
    """The headers that sign `method host path` (no query) for S3 with Signature Version 4."""
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    day = amz_date[:8]
    headers = {"host": host, "x-amz-content-sha256": _EMPTY_SHA256, "x-amz-date": amz_date}
    if token:
        headers["x-amz-security-token"] = token
    names = sorted(headers)
    signed = ";".join(names)
    canonical = "\n".join([method, path, "", "".join("%s:%s\n" % (n, headers[n]) for n in names), signed, _EMPTY_SHA256])
    scope = "%s/%s/s3/aws4_request" % (day, region)
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
    key = ("AWS4" + secret_key).encode("utf-8")
    for part in (day, region, "s3", "aws4_request"):
        key = _hmac(key, part)
    signature = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    headers["authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (access_key, scope, signed, signature)
    return headers


class UseBoto3(Exception):
    """This request is boto3's to make (the reason is for debugging; it holds no secret)."""


class _Body(object):
    """A response body that reports a connection breaking mid-body as botocore does, so the
    caller's retry of broken downloads covers both paths."""

    def __init__(self, response, on_broken, broken_error):
        self._response = response
        self._on_broken = on_broken
        self._broken_error = broken_error

    def close(self):
        """Abandons the body: the connection, with unread bytes on it, cannot be used again."""
        self._response.close()
        self._on_broken()

    def read(self, amount=None):
        try:
            return self._response.read(amount) if amount is not None else self._response.read()
        except (http.client.HTTPException, OSError) as e:
            self._on_broken()
            raise self._broken_error(error=e)


class DirectGetter(object):
    """Signed GETs on per-thread connections, for one boto3 session and client."""

    def __init__(self, session, client, env=None):
        env = os.environ if env is None else env
        from botocore.exceptions import ClientError, ResponseStreamingError

        self._client_error = ClientError
        self._broken_error = ResponseStreamingError
        self._credentials = session.get_credentials()
        self._region = client.meta.region_name
        endpoint = urlsplit(client.meta.endpoint_url or "")
        # Path-style exactly when the client is configured so (an explicit endpoint: see
        # _s3storage.s3_client), else virtual-hosted, as boto3 addresses a standard AWS endpoint.
        style = (client.meta.config.s3 or {}).get("addressing_style")
        self._path_style = style == "path"
        self._scheme = endpoint.scheme
        self._netloc = endpoint.netloc
        self._local = threading.local()
        self._skip = set()
        self.enabled = (
            self._credentials is not None
            and bool(self._region)
            and endpoint.scheme in ("http", "https")
            and not endpoint.path.strip("/")
            and not any(env.get(v) for v in _PROXY_VARIABLES)
            and (self._path_style or _AWS_ENDPOINT.match("%s://%s" % (endpoint.scheme, endpoint.netloc)) is not None)
        )
        self._ssl = None
        if self.enabled and endpoint.scheme == "https":
            bundle = env.get("AWS_CA_BUNDLE")
            self._ssl = ssl.create_default_context(cafile=bundle or None)

    def _target(self, bucket, key):
        """(host, path) of the object, or None when boto3 should address it."""
        if bucket in self._skip:
            return None
        path = "/" + quote(key, safe="/~")
        if self._path_style:
            return self._netloc, "/" + quote(bucket, safe="") + path
        if _DNS_BUCKET.match(bucket) is None:
            return None
        return "%s.%s" % (bucket, self._netloc), path

    def _connection(self, host):
        conns = getattr(self._local, "conns", None)
        if conns is None:
            conns = self._local.conns = {}
        conn = conns.get(host)
        if conn is None:
            if self._scheme == "https":
                conn = http.client.HTTPSConnection(host, timeout=_TIMEOUT, context=self._ssl)
            else:
                conn = http.client.HTTPConnection(host, timeout=_TIMEOUT)
            conns[host] = conn
        return conn

    def _drop(self, host):
        conn = getattr(self._local, "conns", {}).pop(host, None)
        if conn is not None:
            conn.close()

    def get_object(self, bucket, key, extra_headers=None):
        """A response shaped like boto3's get_object's, raising UseBoto3 when boto3 should answer.

        `extra_headers` (Range, If-Match) go out unsigned, as SigV4 allows; with a Range the
        answer is 206, and a changed object (If-Match) the ClientError PreconditionFailed."""
        target = self._target(bucket, key)
        if target is None:
            raise UseBoto3("not addressable directly")
        host, path = target
        creds = self._credentials.get_frozen_credentials()
        now = datetime.datetime.now(datetime.timezone.utc)
        headers = sigv4_headers("GET", host, path, self._region, creds.access_key, creds.secret_key, creds.token, now)
        if extra_headers:
            headers.update(extra_headers)
        # A kept-alive connection the server has meanwhile closed fails at once: one fresh try.
        for attempt in (0, 1):
            conn = self._connection(host)
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                break
            except (http.client.HTTPException, OSError):
                self._drop(host)
                if attempt == 1:
                    raise UseBoto3("connection failed")
        status = response.status
        if status == (206 if extra_headers and "range" in extra_headers else 200):
            length = response.getheader("content-length")
            if length is None:
                response.read()
                self._drop(host)
                raise UseBoto3("no content-length")
            return {
                "ContentLength": int(length),
                "ContentType": response.getheader("content-type"),
                "LastModified": _http_date(response.getheader("last-modified")),
                "ETag": response.getheader("etag"),
                "ContentRange": response.getheader("content-range"),
                "Metadata": {n[len("x-amz-meta-"):]: v for n, v in ((n.lower(), v) for n, v in response.getheaders()) if n.startswith("x-amz-meta-")},
                "Body": _Body(response, lambda: self._drop(host), self._broken_error),
            }
        if status == 200:
            # A range asked for and the whole object in answer: never read it here.
            self._drop(host)
            raise UseBoto3("range not honoured")
        try:
            text = response.read()
        except (http.client.HTTPException, OSError):
            self._drop(host)
            text = b""
        code = _error_code(text)
        if status == 404 and code in ("NoSuchKey", "NoSuchBucket"):
            raise self._client_error({"Error": {"Code": code, "Message": "Not Found"}, "ResponseMetadata": {"HTTPStatusCode": 404}}, "GetObject")
        if status == 412:
            raise self._client_error({"Error": {"Code": "PreconditionFailed", "Message": "changed"}, "ResponseMetadata": {"HTTPStatusCode": 412}}, "GetObject")
        if status in (301, 307, 400):
            # Another region (or an addressing this bucket does not take): boto3 follows the
            # redirect, and keeps this bucket from now on.
            self._skip.add(bucket)
        raise UseBoto3("HTTP %d %s" % (status, code))


def _error_code(xml):
    found = re.search(rb"<Code>([^<]{1,64})</Code>", xml or b"")
    return found.group(1).decode("ascii", "replace") if found else ""


def _http_date(value):
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
