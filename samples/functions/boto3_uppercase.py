"""An S3 Object Lambda function in the AWS documentation's pattern (boto3 write_get_object_response), changed only
by the client settings docs/serve.md gives, and served over HTTP so `transflux serve --function-url` can invoke it.

    AWS_ENDPOINT_URL_S3=http://127.0.0.1:9000 AWS_ACCESS_KEY_ID=transflux \
    AWS_SECRET_ACCESS_KEY=transflux-local-secret AWS_DEFAULT_REGION=us-east-1 \
    python3 samples/functions/boto3_uppercase.py 8081
    ./transflux serve --function-url http://127.0.0.1:8081/

The handler below is the documentation's; only the `s3` client line differs: the endpoint comes from
AWS_ENDPOINT_URL_S3 (as for any boto3 client), and inject_host_prefix=False, because boto3 would otherwise send the
request to <outputRoute>.127.0.0.1, a name that does not resolve.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
import requests
from botocore.config import Config

s3 = boto3.client('s3', config=Config(inject_host_prefix=False))


def lambda_handler(event, context):
    object_get_context = event["getObjectContext"]
    request_route = object_get_context["outputRoute"]
    request_token = object_get_context["outputToken"]
    s3_url = object_get_context["inputS3Url"]

    # Get object from S3
    response = requests.get(s3_url)
    original_object = response.content.decode('utf-8')

    # Transform object
    transformed_object = original_object.upper()

    # Write object back to S3 Object Lambda
    s3.write_get_object_response(
        Body=transformed_object,
        RequestRoute=request_route,
        RequestToken=request_token)

    return {'status_code': 200}


class Invoke(BaseHTTPRequestHandler):
    """A Lambda-invoke-shaped endpoint: the event is the POST body, the return value the response body."""

    def do_POST(self):
        event = json.loads(self.rfile.read(int(self.headers['Content-Length'])))
        try:
            body, status = json.dumps(lambda_handler(event, None)).encode(), 200
        except Exception as e:  # a crashed function: serve answers the caller 500 LambdaRuntimeError
            body, status = json.dumps({'errorType': type(e).__name__}).encode(), 500
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        sys.stderr.write('function: ' + (fmt % args) + '\n')


if __name__ == '__main__':
    server = ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1]) if len(sys.argv) > 1 else 0), Invoke)
    print('function listening on http://127.0.0.1:%d/' % server.server_address[1], flush=True)
    server.serve_forever()
