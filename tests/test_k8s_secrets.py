"""Kubernetes Secret manifests: one finding per data/stringData key (dlp.refine)."""
from __future__ import annotations

import base64

from dlp.ruleset import load_ruleset
from dlp.scan import scan

RULESET = load_ruleset()


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _k8s(text: str) -> list[tuple[str, int, str]]:
    return [(f.rule_id, f.line, f.value) for f in scan(text.encode(), RULESET) if "kubernetes-secret" in f.tags]


def test_one_finding_per_key_with_its_line() -> None:
    text = (
        "apiVersion: v1\n"
        "kind: Secret\n"
        "metadata:\n"
        "  name: app\n"
        "type: Opaque\n"
        "data:\n"
        f"  username: {_b64('app_user')}\n"              # not a credential
        f"  password: {_b64('Zq8#G6p4EDMnXTE9lr')}\n"
        f"  api-token: \"{_b64('k7RMhw2QbX9tLp4Zs8Vn')}\"\n"
        f"  tls.crt: {_b64('-----BEGIN CERTIFICATE-----')}\n"  # public
        f"  empty: {_b64('changeme')}\n"                 # placeholder
        "stringData:\n"
        "  DB_URL: postgres://app@db/app\n"
        "  JWT_SECRET: r9i3nYum7EHfSpIzN0KTDEUdTW\n"
        "  TEMPLATED: \"{{ .Values.secret }}\"\n"
    )
    found = _k8s(text)
    assert [(line, value) for _, line, value in found] == [
        (8, _b64("Zq8#G6p4EDMnXTE9lr")),
        (9, _b64("k7RMhw2QbX9tLp4Zs8Vn")),
        (13, "postgres://app@db/app"),
        (14, "r9i3nYum7EHfSpIzN0KTDEUdTW"),
    ]
    assert {rule for rule, _, _ in found} == {"kubernetes-secret-manifest"}


def test_columns_and_masking_point_at_the_value() -> None:
    text = f"kind: Secret\nstringData:\n  token: '{'T9xK2mQ8vL4pR7wZ'}'\n"
    (finding,) = [f for f in scan(text.encode(), RULESET) if f.rule_id == "kubernetes-secret-manifest"]
    assert (finding.line, finding.column, finding.end_column) == (3, 11, 27)
    assert "T9xK2mQ8vL4pR7wZ" not in finding.masked


def test_data_values_must_be_base64() -> None:
    text = "kind: Secret\ndata:\n  password: not*base64*at*all!\n  other: plain-Zq8G6p4EDMnXTE9lr\n"
    assert _k8s(text) == []


def test_data_first_manifest_and_documents_are_separate() -> None:
    text = (
        "apiVersion: v1\n"
        f"data:\n  token: {_b64('8owf3jdVYm3SvQlFjOlapbvghJLAQ8')}\n"
        "kind: Secret\n"
        "---\n"
        "kind: ConfigMap\n"
        f"data:\n  FEATURE: {_b64('search,reports,exports')}\n"
    )
    found = _k8s(text)
    assert [(rule, line) for rule, line, _ in found] == [("kubernetes-secret-manifest-data-first", 3)]


def test_configmap_is_not_a_secret() -> None:
    text = "kind: ConfigMap\ndata:\n  password: Zq8#G6p4EDMnXTE9lr\n"
    assert _k8s(text) == []


PEM_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj"


def test_block_scalars_under_string_data_are_one_finding_on_the_key_line() -> None:
    text = (
        "apiVersion: v1\n"
        "kind: Secret\n"
        "metadata:\n"
        "  name: tls\n"
        "stringData:\n"
        "  tls.key: |\n"                                  # line 6
        "    -----BEGIN PRIVATE KEY-----\n"
        f"    {PEM_BODY}\n"
        "    -----END PRIVATE KEY-----\n"
        "  config.ini: >-\n"                              # line 10
        "    password=Wq7rTz4Lp9Xv2Mn8\n"
        "    user=svc\n"
        "  API_TOKEN: k7RMhw2QbX9tLp4Zs8Vn\n"             # line 13
        "  empty: |\n"
        "    changeme\n"
        "  templated: |\n"
        "    {{ .Values.apiToken }}\n"
    )
    found = _k8s(text)
    assert [line for _, line, _ in found] == [6, 10, 13]
    key, config, _ = (value for _, _, value in found)
    assert key == f"-----BEGIN PRIVATE KEY-----\n{PEM_BODY}\n-----END PRIVATE KEY-----"
    assert config == "password=Wq7rTz4Lp9Xv2Mn8 user=svc"  # folded


def test_multiline_base64_under_data() -> None:
    encoded = _b64("a much longer credential: Zq8#G6p4EDMnXTE9lr/k7RMhw2QbX9tLp4Zs8Vn/r9i3nYum7EHfSpIzN0")
    text = (
        "kind: Secret\n"
        "data:\n"
        "  creds.txt: |\n"                                # line 3
        f"    {encoded[:40]}\n"
        f"    {encoded[40:80]}\n"
        f"    {encoded[80:]}\n"
        "  plain:\n"                                       # line 7: plain scalar on the next lines
        f"    {encoded[:44]}\n"
        f"    {encoded[44:]}\n"
        "  notbase64: |\n"
        "    *** not base64 ***\n"
    )
    found = _k8s(text)
    assert [(line, value) for _, line, value in found] == [(3, encoded), (7, encoded)]


def test_secrets_inside_a_list_and_several_documents() -> None:
    text = (
        "apiVersion: v1\n"
        "kind: List\n"
        "items:\n"
        "  - apiVersion: v1\n"
        "    kind: ConfigMap\n"
        "    data:\n"
        "      password: Zq8G6p4EDMnXTE9lrQ\n"             # a ConfigMap: not reported
        "  - apiVersion: v1\n"
        "    kind: Secret\n"
        "    metadata:\n"
        "      name: a\n"
        "    stringData:\n"
        "      token: T9xK2mQ8vL4pR7wZ\n"                  # line 13
        "  - kind: Secret\n"
        "    data:\n"
        f"      password: {_b64('Wq7rTz4Lp9Xv2Mn8')}\n"    # line 16
        "---\n"
        "kind: Secret\n"
        "stringData:\n"
        "  DATABASE_URL: |\n"                             # line 20
        "    postgres://app:Hq3vN8xZ2pR7@db/app\n"
        "---\n"
        "kind: ConfigMap\n"
        "data:\n"
        "  secret_key: r9i3nYum7EHfSpIzN0KTDEUdTW\n"
    )
    assert [line for _, line, _ in _k8s(text)] == [13, 16, 20]


def test_list_item_with_data_before_kind() -> None:
    text = (
        "kind: List\n"
        "items:\n"
        "- apiVersion: v1\n"
        "  data:\n"
        f"    token: {_b64('8owf3jdVYm3SvQlFjOlapbvghJLAQ8')}\n"   # line 5
        "  kind: Secret\n"
        "- apiVersion: v1\n"
        "  data:\n"
        f"    token: {_b64('UnhrWHZRVXUzVGxTdWwwcjlzSExS')}\n"
        "  kind: ConfigMap\n"
    )
    assert [line for _, line, _ in _k8s(text)] == [5]


def test_comment_before_the_first_key_and_tab_indentation() -> None:
    # shapes from gitleaks' kubernetes-secret-yaml samples
    text = f"apiVersion: v1\nkind: Secret\ndata:\n\t# abbreviated\n\tpassword: {_b64('S!B*d$zDsb=')}\n\tusername: {_b64('admin')}\n"
    assert [line for _, line, _ in _k8s(text)] == [5]


def test_a_json_document_is_not_judged_by_its_filler_words() -> None:
    config = _b64('{"auths":{"https://registry.example/v1/":{"auth":"b3BlbnNlc2FtZTpxN3pMcDJ4Vg=="}}}')
    text = f"kind: Secret\ndata:\n  .dockercfg: |\n    {config}\n  plain: {_b64('example-password')}\n"
    assert [(line, value) for _, line, value in _k8s(text)] == [(3, config)]
