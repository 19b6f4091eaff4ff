"""Look-alikes that real code is full of: none of these lines holds a credential."""
import os
import secrets

ENV_API_KEY = "ANTHROPIC_API_KEY"
TOKEN_TYPE_HINT = "refresh_token"
SAML_TOKEN_TYPE_V1 = "urn:oasis:names:tc:SAML:1.0:assertion"
PASSWORD_LAST_USED = "2016-09-08T21:47:36Z"
bos_token = "<|begin_of_text|>"
max_tokens = "4096"
next_token = "eyJsYXN0IjogNDJ9"
request_count_api_key = f"{api_key}::{precise_minute}::request_count"
credentials = f"{self.username}:{self.access_token}"
token = secrets.token_urlsafe(40)
password = os.environ["DB_PASSWORD"]
api_key = settings.API_KEY
secret_name = "prod/db/credentials"
secret_arn = "arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:prod-db-AbCdEf"
password_hash = "3c74aaefc179fa97417c443331c6bce85e16257c41f874dc6c68e85505534c1e"
client_id = "3d76d8f8-f196-488b-a38e-f7b1a80a6ecf"
commit = "194d9981f3bf4e16e3f7a970509998a973cf0d9a"
digest = "sha256:fe8f173a31a00ddb41c2c7d4ae1263f503efb99efd1720a2e6db70e251b96336"
self_signed = "-----BEGIN CERTIFICATE-----"
token_url = "https://auth.acme.internal/oauth/token"
schema_ref = {"api_key": "#/components/schemas/ApiKeyAuth"}
beta = {"token-efficient-tools-2025-02-19": "token-efficient-tools-2025-02-19"}
example_access_token = {"access_token": "2YotnFZFEjr1zCsicMWpAA", "refresh_token": "tGzv3JOkF0XG5Qx2TlKWIA"}


class Config:
    def __init__(self, ssl_password, encryption_key_sha256):
        self.certificate_password = ssl_password
        self.encryption_key_sha256 = encryption_key_sha256
        self.token = self.lex(input)


js = 'catch(e){console.error("Error fetching credentials:",e),J.toast.fromError("Error")}'
url = "postgres://user:password@localhost:5432/app"
doc_url = "https://user:p%2Fss@artifactory.example.com/nodejs"
masked = "https://***:***@proxy.internal"
cmd = "docker run -p 127.0.0.1:8080:80 -it nginx"
