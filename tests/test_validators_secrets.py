"""Tables of good and bad values for the credential validators in dlp.validators.secrets."""
from __future__ import annotations

import inspect
import random

import pytest
from secret_token_factory import (
    age_secret_key,
    b64_json,
    basic_auth,
    crc32_hex_token,
    github_token,
    jwt_token,
    pypi_token,
)

from dlp.validators import VALIDATORS
from dlp.validators import secrets as v

RNG = random.Random(20261122)


def test_every_secret_validator_is_registered_and_typed() -> None:
    for name, fn in v.VALIDATORS.items():
        assert VALIDATORS[name] is fn
        sig = inspect.signature(fn)
        params = list(sig.parameters.values())
        assert params[0].name == "value"
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params[1:]), name
        assert sig.return_annotation in (bool, "bool"), name


# ---------------------------------------------------------------- crc32_base62

@pytest.mark.parametrize("prefix", ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "npm_"])
def test_crc32_base62_accepts_generated_tokens(prefix: str) -> None:
    for _ in range(20):
        assert v.crc32_base62(github_token(RNG, prefix), prefix_len=4)


@pytest.mark.parametrize("value", [
    github_token(random.Random(1), "ghp_", valid=False),
    "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "ghp_",
    "ghp_short",
])
def test_crc32_base62_rejects(value: str) -> None:
    assert not v.crc32_base62(value, prefix_len=4)


# ---------------------------------------------------------------- crc32_hex_tail

def test_crc32_hex_tail_cloudflare_style() -> None:
    # A published Cloudflare user token format: cfut_ + 40 + crc32 hex of the 40.
    assert v.crc32_hex_tail("cfut_U9fdeBzWaVKBK83pfPZAtmufVQnJqtCTKLQj53UFad7fbeca", skip=5)
    for prefix in ("cfut_", "cfat_"):
        assert v.crc32_hex_tail(crc32_hex_token(RNG, prefix, 40), skip=len(prefix))
        assert not v.crc32_hex_tail(crc32_hex_token(RNG, prefix, 40, valid=False), skip=len(prefix))


def test_crc32_hex_tail_atlassian_style_checksums_the_whole_head() -> None:
    token = crc32_hex_token(RNG, "ATATT3xFfGF0", 172, charset="abcXYZ019_-=", include_prefix=True, upper=True)
    assert v.crc32_hex_tail(token)
    assert v.crc32_hex_tail(token, case="upper")
    assert not v.crc32_hex_tail(token, case="lower")
    assert not v.crc32_hex_tail(token, skip=12)


def test_crc32_hex_tail_little_endian() -> None:
    body = "glsa_" + "A" * 32 + "_"
    import zlib
    tail = zlib.crc32(body.encode()).to_bytes(4, "little").hex()
    assert v.crc32_hex_tail(body + tail, byteorder="little")
    assert not v.crc32_hex_tail(body + tail)


@pytest.mark.parametrize("value", ["", "abc", "cfut_" + "a" * 40 + "zzzzzzzz", "cfut_" + "é" * 40 + "00000000"])
def test_crc32_hex_tail_rejects_malformed(value: str) -> None:
    assert not v.crc32_hex_tail(value, skip=5)


# ---------------------------------------------------------------- bech32

def test_bech32_age_keys() -> None:
    # Key from the age specification's test vectors (a fixed, public example).
    assert v.bech32("AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX",
                    hrp="age-secret-key-")
    for _ in range(20):
        key = age_secret_key(RNG)
        assert v.bech32(key, hrp="age-secret-key-")
        assert v.bech32(key.lower())
        assert not v.bech32(age_secret_key(RNG, valid=False), hrp="age-secret-key-")


@pytest.mark.parametrize("value,kwargs,ok", [
    ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", {}, True),            # BIP-173 vector
    ("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", {"hrp": "bc"}, True),
    ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", {}, False),           # wrong checksum
    ("Bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", {}, False),           # mixed case
    ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", {"hrp": "tb"}, False),
    ("tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c", {"variant": "bech32m"}, True),
    ("1qqqqqq", {}, False),
    ("noseparator", {}, False),
    ("age1bo", {}, False),                                                # 'b', 'o' not in charset
])
def test_bech32_table(value: str, kwargs: dict[str, str], ok: bool) -> None:
    assert v.bech32(value, **kwargs) is ok


# ---------------------------------------------------------------- structures

def test_jwt_and_claims() -> None:
    token = jwt_token(RNG, {"role": "service_role", "iss": "supabase", "exp": 2000000000})
    assert v.jwt(token)
    assert v.jwt_claims(token, require="role=service_role")
    assert v.jwt_claims(token, require="iss, exp")
    assert not v.jwt_claims(token, require="role=anon")
    assert not v.jwt_claims(token, require="aud")
    assert not v.jwt("eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.sig")
    assert not v.jwt_claims("a.b", require="role")


def test_base64_json() -> None:
    doc = b64_json({"a": "acct", "t": "tunnel", "s": "secret"})
    assert v.base64_json(doc, require="a,t,s")
    assert not v.base64_json(doc, require="a,t,s,x")
    assert v.base64_json("ops_" + b64_json({"email": "x"}, urlsafe=True), skip=4)
    assert not v.base64_json("bm90IGpzb24")
    assert not v.base64_json(b64_json([1, 2, 3]))
    assert not v.base64_json("!!!")


def test_pypi_macaroon() -> None:
    assert v.pypi_macaroon(pypi_token(RNG))
    assert v.pypi_macaroon(pypi_token(RNG, location="test.pypi.org"))
    assert not v.pypi_macaroon("pypi-AgEIcHlwaS5vcmc" + "A" * 60)
    assert not v.pypi_macaroon("pypi-" + b64_json({"not": "a macaroon"}, urlsafe=True))
    assert not v.pypi_macaroon("token-AgEIcHlwaS5vcmc")


@pytest.mark.parametrize("value,ok", [
    (basic_auth("deploy", "Tq4-x9Lm2"), True),
    (basic_auth("AWS", "eyJwYXlsb2FkIjoi"), True),
    (basic_auth("user", "password"), False),          # documentation pair
    (basic_auth("deploy", ""), False),
    (basic_auth("", "Tq4-x9Lm2"), False),
    ("bm9jb2xvbmhlcmU=", False),                        # "nocolonhere"
    ("%%%", False),
])
def test_basic_auth_b64(value: str, ok: bool) -> None:
    assert v.basic_auth_b64(value) is ok


# ---------------------------------------------------------------- generic-rule filters

@pytest.mark.parametrize("value", [
    "user_password_field", "MySecretName", "DatabaseConnection", "your_api_key_here",
    "Please enter the password", "changeme", "very-long-config-name", "config_v2",
    "postgres", "password123", "admin2024", "test_01", "token-efficient-tools-2025-02-19",
    "HCP_VAULT_TOKEN", "mcp_oauth_tokens", "litellm-mcp-bridge:envelope-signing:", "***", "a%20secret",
    "Ocp-Apim-Subscription-Key", "masukkan_kata_laluan_di_sini", "contoh_kunci_api", "SomeKindOfPassword123!@#", "generatedwebdavpassword1", "ASIAANDPACIFICREGION", "ASIAPACIFICEUROPE", "YOURACCESSKEYIDHERE1", "AKIAEXAMPLEFAKEKEY23", "sila_masukkan_kata_laluan", "PasswordInput", "secret",
    "abc123def456", "qwerty12345", "asdf1234", "zyx987wvu", "correct-horse-battery-staple", "CorrectHorseBatteryStaple",
    "the_quick_brown_fox", "please-change-this-value",
    "AKIAQWRTZXCVBNMLKJHG",  # a keyboard walk after the prefix: a made-up key id
])
def test_not_natural_language_rejects_words(value: str) -> None:
    assert not v.not_natural_language(value)


@pytest.mark.parametrize("value", [
    "Xk9fQ2mZr7Lp", "hunter2!", "3f9a8b7c6d5e4f3a2b1c", "P@55w0rd-Zq8", "aG9sYTpjYXJhY29sYQ==",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCY", "tR7vX2qLmN9pK4sW", "adm1n-Zq", "qZt8Rw", "AKIACYBP3GSTUH3XENMZ", "1S1Tbgniic", "UadmTO0Wljmy5",
])
def test_not_natural_language_keeps_random_values(value: str) -> None:
    assert v.not_natural_language(value)


@pytest.mark.parametrize("value,ok", [
    ("123e4567-e89b-12d3-a456-426614174000", False),
    ("d41d8cd98f00b204e9800998ecf8427e", False),                          # MD5
    ("da39a3ee5e6b4b0d3255bfef95601890afd80709", False),                  # SHA-1
    ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", False),
    ("sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", False),
    ("sha512:abcdef0123456789", False),
    ("48205d4ffd7feba3", False),                                          # 64-bit id
    ("507f1f77bcf86cd799439011", False),                                  # MongoDB ObjectId
    ("3f9a8b7c6d5e4f3a2b1c0d9e7", True),                                  # 25 hex: not an id length
    ("Xk9fQ2mZr7Lp", True),
])
def test_not_hash_or_uuid(value: str, ok: bool) -> None:
    assert v.not_hash_or_uuid(value) is ok


@pytest.mark.parametrize("value,ok", [
    ("${DB_PASSWORD}", False),
    ("$DB_PASSWORD", False),
    ("$(SqlPassword)", False),
    ("%API_KEY%", False),
    ('os.environ["DB_PASSWORD"]', False),
    ("process.env.API_KEY", False),
    ('getenv("TOKEN")', False),
    ('System.getenv("SIGNING_PASSWORD")', False),
    ("settings.SECRET_KEY", False),
    ("config.db.password", False),
    ("/run/secrets/db_password", False),
    ("./secrets.txt", False),
    ("https://auth.acme.internal/oauth/token", False),
    ("true", False),
    ("4096", False),
    ("tokenize.tokenize(io.BytesIO(src).readline)", False),
    ("config.getini(", False),
    ("Prompt.ask(", False),
    ("token[:-1]", False),
    ("less_env.split()", False),
    ("self.lex(input)", False),
    ("new SecretString(raw)", False),
    ("Xk9fQ2mZr7Lp", True),
    ("8Zq)Lm2x!(", True),
    (",e),J.toast.fromError(", False),
    ("a.b(c)", False),
    ("ANTHROPIC_API_KEY", False),
    ("urn:ietf:params:oauth:token-type:access_token", False),
    ("#/components/schemas/ApiKeyAuth", False),
    ("2016-09-08T21:47:36Z", False),
    ("detect_secrets.main:main", False),
    ("x25519.X25519PrivateKey", False),
    ("HTTPPasswordMgr", False),
    ("LangsmithCredentialsObject", False),
    ("apiKeyHeader", False),
    ("ssl_password", False),
    ("encryption_key_sha256", False),
    ("bEpRzpKtFXJP", True),
    ("NzdmyOJErziCrUA", True),
    ("fMx_DpYeNpB", True),
    ("HorWmqaybmlHpzz", True),
    ("HTMLTokenizer", False),
    ("SSHPrivateKeyTypes", False),
    ("CohereV2ChatResponseUsageTokens", False),
    ("oCyr8vlBgwciJCIaBWTlm0jn.goDBFcTwTe", True),
    ("https://ci:Zq8Lm2@nexus.acme.internal/simple", True),               # URL with credentials
    ("p4ss.w0rd-x", True),
    ("application/json", False),                                          # MIME type
    ("text/plain", False),
    ("localhost:5432", False),                                            # host:port
    ("db.acme.internal:6379", False),
    ("sha256", False),                                                    # algorithm names
    ("AES-256-GCM", False),
    ("HS256", False),
    ("Tr0ub4dor&3", True),
    ("kj8Hs2nQ9xLp", True),
])
def test_not_code_reference(value: str, ok: bool) -> None:
    assert v.not_code_reference(value) is ok
