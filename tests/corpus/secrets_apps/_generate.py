"""Regenerate the application-credential corpus and its labels.

    python tests/corpus/secrets_apps/_generate.py

Every credential here is fake: random characters in the vendor's real format
(with a valid checksum where the format has one). Positive files mix real-format
credentials with decoys on other lines; decoy files hold only look-alikes
(hashes, UUIDs, vendor documentation examples, wrong checksums, placeholders,
environment lookups) and must produce no finding of the application packs.
labels.yaml lists, per positive file, the expected (rule, line) pairs.
"""
from __future__ import annotations

import base64
import json
import random
import string
import struct
import uuid
import zlib
from pathlib import Path

HERE = Path(__file__).parent
R = random.Random(20261122)
U, L, D = string.ascii_uppercase, string.ascii_lowercase, string.digits
AN, HEX, B64U = U + L + D, D + "abcdef", U + L + D + "-_"


def rnd(alpha: str, n: int) -> str:
    while True:
        s = "".join(R.choice(alpha) for _ in range(n))
        if n < 12 or sum(any(c in cls for c in s) for cls in (U, L, D)) >= min(2, sum(any(c in cls for c in alpha) for cls in (U, L, D))):
            if not any(w in s.lower() for w in ("test", "xxx", "fake", "demo", "1234", "abcd")):
                return s


def u4() -> str:
    return str(uuid.UUID(int=R.getrandbits(128), version=4))


def b64(data: bytes, *, url: bool = False, pad: bool = True) -> str:
    s = (base64.urlsafe_b64encode if url else base64.b64encode)(data).decode()
    return s if pad else s.rstrip("=")


def b64json(obj: object, **kw: bool) -> str:
    return b64(json.dumps(obj, separators=(",", ":")).encode(), **kw)


def jwt(payload: dict[str, object], alg: str = "HS256") -> str:
    return ".".join([b64json({"alg": alg, "typ": "JWT"}, url=True, pad=False),
                     b64json(payload, url=True, pad=False), rnd(B64U, 43)])


def digits(n: int) -> str:
    return str(R.randint(1, 9)) + rnd(D, n - 1)


def glsa(valid: bool = True) -> str:
    head = "glsa_" + rnd(AN, 32)
    tail = struct.pack("<I", zlib.crc32(head.encode())).hex()
    if not valid:
        tail = tail[:-1] + ("0" if tail[-1] != "0" else "1")
    return f"{head}_{tail}"


def openai(kind: str = "proj") -> str:
    return f"sk-{kind}-{rnd(B64U, 74)}T3BlbkFJ{rnd(B64U, 74)}"


G = {  # rule id -> generator of a valid value
    "openai-project-key": openai,
    "openai-service-account-key": lambda: openai("svcacct"),
    "openai-admin-key": lambda: openai("admin"),
    "openai-legacy-api-key": lambda: f"sk-{rnd(AN, 20)}T3BlbkFJ{rnd(AN, 20)}",
    "anthropic-api-key": lambda: f"sk-ant-api03-{rnd(B64U, 93)}AA",
    "anthropic-admin-key": lambda: f"sk-ant-admin01-{rnd(B64U, 93)}AA",
    "google-gemini-api-key": lambda: "AIzaSy" + rnd(B64U, 33),
    "huggingface-access-token": lambda: "hf_" + rnd(U + L, 34),
    "groq-api-key": lambda: "gsk_" + rnd(AN, 52),
    "replicate-api-token": lambda: "r8_" + rnd(AN, 37),
    "openrouter-api-key": lambda: "sk-or-v1-" + rnd(HEX, 64),
    "perplexity-api-key": lambda: "pplx-" + rnd(AN, 48),
    "xai-api-key": lambda: "xai-" + rnd(AN, 80),
    "langsmith-api-key": lambda: f"lsv2_pt_{rnd(HEX, 32)}_{rnd(HEX, 10)}",
    "pinecone-api-key": lambda: f"pcsk_{rnd(AN, 6)}_{rnd(AN, 63)}",
    "deepseek-api-key": lambda: "sk-" + rnd(HEX, 32),
    "dashscope-api-key": lambda: "sk-" + rnd(HEX, 32),
    "zhipu-api-key": lambda: rnd(HEX, 32) + "." + rnd(AN, 16),
    "mistral-api-key": lambda: rnd(AN, 32),
    "cohere-api-key": lambda: rnd(AN, 40),
    "databricks-api-token": lambda: "dapi" + rnd(HEX, 32),
    "neon-api-key": lambda: "napi_" + rnd(L + D, 64),
    "planetscale-password": lambda: "pscale_pw_" + rnd(B64U, 43),
    "upstash-redis-token": lambda: "A" + rnd(B64U, 87) + "=",
    "mongodb-atlas-private-key": u4,
    "airtable-pat": lambda: "pat" + rnd(AN, 14) + "." + rnd(HEX, 64),
    "clickhouse-cloud-api-secret": lambda: "4b1d" + rnd(AN, 38),
    "snowflake-keypair-jwt": lambda: jwt({"iss": "ACME.SVC_ETL.SHA256:" + b64(R.randbytes(32)), "sub": "ACME.SVC_ETL", "iat": 1732000000}, "RS256"),
    "slack-bot-token": lambda: f"xoxb-{digits(12)}-{digits(13)}-{rnd(AN, 24)}",
    "slack-user-token": lambda: f"xoxp-{digits(12)}-{digits(12)}-{digits(13)}-{rnd(HEX, 32)}",
    "slack-webhook-url": lambda: f"https://hooks.slack.com/services/T{rnd(U + D, 10)}/B{rnd(U + D, 10)}/{rnd(AN, 24)}",
    "discord-bot-token": lambda: f"{b64(digits(19).encode(), pad=False)}.{rnd(B64U, 6)}.{rnd(B64U, 38)}",
    "discord-webhook-url": lambda: f"https://discord.com/api/webhooks/{digits(19)}/{rnd(B64U, 68)}",
    "telegram-bot-token": lambda: f"{digits(10)}:AA{rnd(B64U, 33)}",
    "msteams-webhook-url": lambda: f"https://acme.webhook.office.com/webhookb2/{u4()}@{u4()}/IncomingWebhook/{rnd(HEX, 32)}/{u4()}",
    "line-channel-secret": lambda: rnd(HEX, 32),
    "wecom-webhook-url": u4,
    "dingtalk-robot-webhook": lambda: rnd(HEX, 64),
    "dingtalk-robot-secret": lambda: "SEC" + rnd(HEX, 64),
    "lark-webhook-url": lambda: f"https://open.feishu.cn/open-apis/bot/v2/hook/{u4()}",
    "twilio-api-key": lambda: "SK" + rnd(HEX, 32),
    "twilio-auth-token": lambda: rnd(HEX, 32),
    "sendgrid-api-key": lambda: f"SG.{rnd(B64U, 22)}.{rnd(B64U, 43)}",
    "mailgun-api-key": lambda: "key-" + rnd(HEX, 32),
    "mailchimp-api-key": lambda: rnd(HEX, 32) + "-us14",
    "brevo-api-key": lambda: f"xkeysib-{rnd(HEX, 64)}-{rnd(AN, 16)}",
    "resend-api-key": lambda: f"re_{rnd(AN, 8)}_{rnd(AN, 24)}",
    "stripe-secret-key": lambda: "sk_live_" + rnd(AN, 99),
    "stripe-restricted-key": lambda: "rk_live_" + rnd(AN, 99),
    "stripe-webhook-secret": lambda: "whsec_" + rnd(AN, 32),
    "square-access-token": lambda: "EAAA" + rnd(B64U, 60),
    "braintree-access-token": lambda: f"access_token$production${rnd(L + D, 16)}${rnd(HEX, 32)}",
    "adyen-api-key": lambda: "AQE" + rnd(AN, 2) + b64(R.randbytes(60)).rstrip("=") + "-" + b64(R.randbytes(40)).rstrip("=") + "-" + rnd(AN, 12),
    "xendit-secret-key": lambda: "xnd_production_" + b64(R.randbytes(48)).replace("+", "A").replace("/", "b"),  # alphanumeric
    "midtrans-server-key": lambda: "Mid-server-" + rnd(B64U, 24),
    "omise-secret-key": lambda: "skey_5" + rnd(L + D, 18),
    "paymongo-secret-key": lambda: "sk_live_" + rnd(AN, 24),
    "razorpay-key-secret": lambda: rnd(AN, 24),
    "razorpay-live-key-id": lambda: "rzp_live_" + rnd(AN, 14),
    "flutterwave-secret-key": lambda: f"FLWSECK-{rnd(HEX, 32)}-X",
    "mollie-api-key": lambda: "live_" + rnd(AN, 30),
    "shopify-admin-api-access-token": lambda: "shpat_" + rnd(HEX, 32),
    "billplz-api-key": u4,
    "2c2p-secret-key": lambda: rnd("0123456789ABCDEF", 64),
    "notion-integration-token": lambda: "ntn_" + digits(11) + rnd(AN, 35),
    "linear-api-key": lambda: "lin_api_" + rnd(AN, 40),
    "datadog-api-key": lambda: rnd(HEX, 32),
    "newrelic-user-api-key": lambda: "NRAK-" + rnd(U + D, 27),
    "grafana-service-account-token": glsa,
    "grafana-cloud-token": lambda: "glc_" + b64json({"o": "812345", "n": "stack-990011-alloy", "k": rnd(AN, 24), "m": {"r": "prod-ap-southeast-1"}}),
    "sentry-user-token": lambda: "sntryu_" + rnd(HEX, 64),
    "sentry-org-token": lambda: "sntrys_" + b64json({"iat": 1731000000.5, "url": "https://sentry.io", "region_url": "https://us.sentry.io", "org": "acme"}) + "_" + rnd(AN, 43),
    "okta-api-token": lambda: "00" + rnd(B64U, 40),
    "hubspot-private-app-token": lambda: f"pat-na1-{u4()}",
    "salesforce-access-token": lambda: "00D" + rnd(AN, 12) + "!" + rnd(AN + "._", 96),
    "figma-pat": lambda: "figd_" + rnd(B64U, 40),
    "dropbox-short-lived-token": lambda: "sl.u." + rnd(B64U, 140),
    "twitter-bearer-token": lambda: "A" * 22 + rnd(AN, 40) + "%2B" + rnd(AN, 14) + "%3D" + rnd(AN, 50),
    "mapbox-secret-token": lambda: "sk." + b64json({"u": "acme-maps", "a": rnd(L + D, 25)}, url=True, pad=False) + "." + rnd(B64U, 22),
    "zoho-oauth-token": lambda: f"1000.{rnd(HEX, 32)}.{rnd(HEX, 32)}",
    "clickup-pat": lambda: f"pk_{digits(8)}_{rnd(U + D, 32)}",
    # second batch
    "datadog-app-key": lambda: rnd(HEX, 40),
    "newrelic-license-key": lambda: rnd(HEX, 36) + "NRAL",
    "auth0-client-secret": lambda: rnd(B64U, 64),
    "salesforce-consumer-secret": lambda: rnd("0123456789ABCDEF", 64),
    "zendesk-api-token": lambda: rnd(AN, 40),
    "pagerduty-integration-key": lambda: rnd(HEX, 32),
    "opsgenie-api-key": u4,
    "splunk-hec-token": u4,
    "sumologic-access-key": lambda: rnd(AN, 64),
    "rollbar-access-token": lambda: rnd(HEX, 32),
    "launchdarkly-sdk-key": lambda: "sdk-" + u4(),
    "posthog-personal-api-key": lambda: "phx_" + rnd(AN, 47),
    "dynatrace-api-token": lambda: f"dt0c01.{rnd(U + D, 24)}.{rnd(U + D, 64)}",
    "confluent-api-key": lambda: rnd(U + D, 16),
    "confluent-api-secret": lambda: rnd(AN + "+/", 64),
    "elastic-cloud-api-key": lambda: "essu_" + b64(R.randbytes(70), url=True),
    "algolia-admin-api-key": lambda: rnd(HEX, 32),
    "meilisearch-master-key": lambda: rnd(B64U, 32),
    "hasura-admin-secret": lambda: rnd(AN, 32),
    "influxdb-token": lambda: b64(R.randbytes(64), url=True),
    "xata-api-key": lambda: "xau_" + rnd(AN, 36),
    "tinybird-token": lambda: "p." + b64json({"u": u4(), "id": u4(), "host": "gcp-europe-west3"}, url=True, pad=False) + "." + rnd(B64U, 43),
    "dbt-cloud-token": lambda: "dbtc_" + rnd(B64U, 50),
    "metabase-api-key": lambda: "mb_" + b64(R.randbytes(33)),
    "prefect-api-key": lambda: "pnu_" + rnd(AN, 36),
    "upstash-qstash-token": lambda: b64json({"UserID": u4(), "Password": rnd(HEX, 32)}),
    "turso-auth-token": lambda: jwt({"a": "rw", "iat": 1731000000, "id": u4()}, "EdDSA"),
    "together-api-key": lambda: "tgp_v1_" + rnd(B64U, 43),
    "fireworks-api-key": lambda: "fw_" + rnd(AN, 24),
    "cerebras-api-key": lambda: "csk-" + rnd(L + D, 48),
    "nvidia-api-key": lambda: "nvapi-" + rnd(B64U, 64),
    "jina-api-key": lambda: "jina_" + rnd(HEX, 32) + rnd(AN, 28),
    "tavily-api-key": lambda: "tvly-dev-" + rnd(AN, 32),
    "llamacloud-api-key": lambda: "llx-" + rnd(AN, 48),
    "firecrawl-api-key": lambda: "fc-" + rnd(HEX, 32),
    "elevenlabs-api-key": lambda: "sk_" + rnd(HEX, 48),
    "assemblyai-api-key": lambda: rnd(HEX, 32),
    "deepgram-api-key": lambda: rnd(HEX, 40),
    "voyage-api-key": lambda: "pa-" + rnd(B64U, 43),
    "langfuse-secret-key": lambda: "sk-lf-" + u4(),
    "neptune-api-token": lambda: b64json({"api_address": "https://app.neptune.ai", "api_url": "https://app.neptune.ai", "api_key": u4()}),
    "mattermost-webhook-url": lambda: f"https://chat.acme.io/hooks/{rnd(L + D, 26)}",
    "rocketchat-webhook-url": lambda: f"https://rocket.acme.io/hooks/{rnd(AN, 17)}/{rnd(AN, 48)}",
    "zulip-api-key": lambda: rnd(AN, 32),
    "line-channel-access-token": lambda: b64(R.randbytes(128)),
    "telnyx-api-key": lambda: "KEY" + rnd("0123456789ABCDEF", 32) + "_" + rnd(AN, 22),
    "plivo-auth-token": lambda: rnd(AN, 40),
    "pusher-app-secret": lambda: rnd(HEX, 20),
    "ably-api-key": lambda: rnd(B64U, 6) + "." + rnd(B64U, 6) + ":" + rnd(B64U, 43),
    "intercom-access-token": lambda: b64(f"tok:{u4()}:1:0".encode()),
    "postmark-server-token": u4,
    "mailersend-api-token": lambda: "mlsn." + rnd(HEX, 64),
    "onesignal-rest-api-key": lambda: "os_v2_app_" + rnd(L + "234567", 113),
    "google-chat-webhook-url": lambda: rnd(B64U, 43),
    "africastalking-api-key": lambda: "atsk_" + rnd(HEX, 64),
    "pubnub-secret-key": lambda: "sec-c-" + rnd(AN, 48),
}

LABELS: dict[str, list[dict[str, object]]] = {}
DECOYS: list[str] = []


class Doc:
    def __init__(self, name: str) -> None:
        self.name, self.lines = name, []  # type: ignore[var-annotated]

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def secret(self, rule: str, template: str, value: str | None = None, also: tuple[str, ...] = ()) -> str:
        """Append a line holding a credential; ``also`` names other rules expected on it
        (formats shared by several vendors, such as sk_live_ or sk-<32 hex>)."""
        value = value if value is not None else G[rule]()
        self.lines.append(template.replace("{v}", value))
        for rid in (rule, *also):
            LABELS.setdefault(self.name, []).append({"rule": rid, "line": len(self.lines)})
        return value

    def write(self) -> None:
        (HERE / self.name).write_text("\n".join(self.lines) + "\n", encoding="utf-8")


def sha(n: int = 40) -> str:
    return rnd(HEX, n)


# ---------------------------------------------------------------------------------------------
def settings_py() -> None:
    d = Doc("settings.py")
    d.add('"""Django settings for the billing service (staging copy pasted for review)."""', "import os", "from pathlib import Path", "",
          "BASE_DIR = Path(__file__).resolve().parent.parent",
          f'SECRET_KEY_FALLBACKS = []  # rotated {sha(7)}', "DEBUG = False", "")
    d.add("# --- AI providers ---")
    d.secret("openai-project-key", 'OPENAI_API_KEY = "{v}"')
    d.add('OPENAI_ORG = os.environ.get("OPENAI_ORG", "")')
    d.secret("anthropic-api-key", 'ANTHROPIC_API_KEY = os.getenv("ANTHROPIC_API_KEY", "{v}")')
    d.add('GEMINI_API_KEY = os.environ["GEMINI_API_KEY"]')
    d.secret("huggingface-access-token", 'HF_TOKEN = "{v}"  # read-only, for model downloads')
    d.add("", "# --- payments ---")
    d.secret("stripe-secret-key", 'STRIPE_SECRET_KEY = "{v}"')
    d.add('STRIPE_PUBLISHABLE_KEY = "pk_live_' + rnd(AN, 99) + '"  # public by design')
    d.secret("stripe-webhook-secret", 'STRIPE_WEBHOOK_SECRET = "{v}"')
    d.add('STRIPE_TEST_KEY = "sk_test_..."', "")
    d.add("# --- notifications ---")
    d.secret("slack-bot-token", 'SLACK_BOT_TOKEN = "{v}"')
    d.secret("sendgrid-api-key", 'EMAIL_HOST_PASSWORD = "{v}"')
    d.add('EMAIL_HOST_USER = "apikey"', 'SLACK_CHANNEL = "#billing-alerts"', "")
    d.add("CACHES = {\"default\": {\"BACKEND\": \"django.core.cache.backends.redis.RedisCache\", \"LOCATION\": os.environ[\"REDIS_URL\"]}}")
    d.add(f'STATIC_VERSION = "{sha(40)}"')
    d.write()


def dotenv() -> None:
    d = Doc(".env.production")
    d.add("# generated by ops/render-env.sh — do not commit", f"RELEASE_SHA={sha(40)}", "NODE_ENV=production")
    d.secret("databricks-api-token", "DATABRICKS_TOKEN={v}")
    d.add("DATABRICKS_HOST=https://adb-4812345678901234.5.azuredatabricks.net")
    d.secret("groq-api-key", "GROQ_API_KEY={v}")
    d.secret("openrouter-api-key", "OPENROUTER_API_KEY={v}")
    d.secret("perplexity-api-key", "PERPLEXITY_API_KEY={v}")
    d.secret("xai-api-key", "XAI_API_KEY={v}")
    d.secret("langsmith-api-key", "LANGSMITH_API_KEY={v}")
    d.add("LANGSMITH_PROJECT=checkout-agent", "LANGSMITH_TRACING=true")
    d.secret("pinecone-api-key", "PINECONE_API_KEY={v}")
    d.secret("mistral-api-key", "MISTRAL_API_KEY={v}")
    d.secret("cohere-api-key", "COHERE_API_KEY={v}")
    d.secret("datadog-api-key", "DD_API_KEY={v}")
    d.add("DD_SITE=datadoghq.eu", f"DD_VERSION={sha(12)}")
    d.secret("notion-integration-token", "NOTION_TOKEN={v}")
    d.secret("linear-api-key", "LINEAR_API_KEY={v}")
    d.secret("neon-api-key", "NEON_API_KEY={v}")
    d.secret("planetscale-password", "DATABASE_PASSWORD={v}")
    d.secret("upstash-redis-token", "UPSTASH_REDIS_REST_TOKEN={v}")
    d.add("UPSTASH_REDIS_REST_URL=https://apn1-tidy-heron-31337.upstash.io")
    d.secret("mongodb-atlas-private-key", "MONGODB_ATLAS_PRIVATE_KEY={v}")
    d.add("MONGODB_ATLAS_PUBLIC_KEY=" + rnd(L, 8))
    d.secret("newrelic-user-api-key", "NEW_RELIC_API_KEY={v}")
    d.secret("sentry-org-token", "SENTRY_AUTH_TOKEN={v}")
    d.add(f"SENTRY_RELEASE={sha(40)}", "FEATURE_FLAGS=checkout_v2,new_invoice_pdf")
    d.secret("figma-pat", "FIGMA_TOKEN={v}")
    d.secret("resend-api-key", "RESEND_API_KEY={v}")
    d.write()


def values_yaml() -> None:
    d = Doc("values.yaml")
    d.add("# Helm values for the alerting stack", "replicaCount: 2", "image:", "  repository: ghcr.io/acme/alert-router",
          f"  tag: \"sha-{sha(7)}\"", f"  digest: sha256:{sha(64)}", "alertmanager:", "  receivers:", "    - name: oncall-slack")
    d.secret("slack-webhook-url", "      slack_api_url: {v}")
    d.add("    - name: teams")
    d.secret("msteams-webhook-url", "      url: \"{v}\"")
    d.add("    - name: pagerduty", "      routing_key_file: /etc/secrets/pd-routing-key", "grafana:", "  adminUser: admin")
    d.secret("grafana-service-account-token", "  serviceAccountToken: {v}")
    d.add("  cloud:")
    d.secret("grafana-cloud-token", "    accessPolicyToken: \"{v}\"")
    d.add("    instanceId: \"812345\"", "sentry:")
    d.secret("sentry-user-token", "  authToken: {v}")
    d.add(f"  dsnPublicKey: {sha(32)}", "okta:", "  orgUrl: https://acme.okta.com")
    d.secret("okta-api-token", "  okta_api_token: {v}")
    d.add("podAnnotations:", f"  checksum/config: {sha(64)}", "  prometheus.io/scrape: \"true\"")
    d.write()


def notify_js() -> None:
    d = Doc("notify.js")
    d.add("// notify.js — fan-out of deploy events to chat tools", "import fetch from 'node-fetch';", "import { Telegraf } from 'telegraf';", "")
    d.secret("discord-webhook-url", "const DISCORD_HOOK = '{v}';")
    d.secret("discord-bot-token", "const client = new Client({ intents: [] }); client.login('{v}');")
    d.secret("telegram-bot-token", "const bot = new Telegraf('{v}');")
    d.secret("lark-webhook-url", "const LARK_HOOK = \"{v}\";")
    d.secret("wecom-webhook-url", "const WECOM = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={v}';")
    d.secret("dingtalk-robot-webhook", "const DING = `https://oapi.dingtalk.com/robot/send?access_token={v}`;")
    d.secret("dingtalk-robot-secret", "const DING_SECRET = '{v}'; // 加签")
    d.secret("line-channel-secret", "const lineConfig = { channelAccessToken: process.env.LINE_TOKEN, channelSecret: '{v}' };")
    d.secret("twilio-api-key", "const twilio = require('twilio')('{v}', process.env.TWILIO_API_SECRET, { accountSid: process.env.TWILIO_SID });")
    d.secret("twilio-auth-token", "const TWILIO_AUTH_TOKEN = '{v}';")
    d.secret("mailgun-api-key", "const mailgun = new Mailgun(formData).client({ username: 'api', key: '{v}' });")
    d.secret("mailchimp-api-key", "mailchimp.setConfig({ apiKey: '{v}', server: 'us14' });")
    d.secret("brevo-api-key", "brevo.authentications['api-key'].apiKey = '{v}';")
    d.add("", "export async function notify(event) {", f"  const id = '{u4()}';", "  await fetch(DISCORD_HOOK, { method: 'POST', body: JSON.stringify({ content: event.text, id }) });", "}")
    d.write()


def payments_go() -> None:
    d = Doc("payments.go")
    d.add("package payments", "", "import (", "\t\"os\"", ")", "", "// Gateway credentials per market (copied from the vault for debugging; remove!)", "var gateways = map[string]string{")
    d.secret("xendit-secret-key", "\t\"xendit\":    \"{v}\",")
    d.secret("midtrans-server-key", "\t\"midtrans\":  \"{v}\",")
    d.secret("omise-secret-key", "\t\"omise\":     \"{v}\",")
    d.secret("paymongo-secret-key", "\t\"paymongo\":  \"{v}\", // PayMongo live", also=("stripe-secret-key",))
    d.secret("razorpay-live-key-id", "\t\"razorpay_id\": \"{v}\",")
    d.secret("razorpay-key-secret", "\t\"razorpay_secret\": \"{v}\",")
    d.secret("flutterwave-secret-key", "\t\"flutterwave\": \"{v}\",")
    d.secret("square-access-token", "\t\"square\":    \"{v}\",")
    d.secret("billplz-api-key", "\t\"billplz_api_key\": \"{v}\",")
    d.secret("2c2p-secret-key", "\t\"2c2p_secret_key\": \"{v}\",")
    d.add("}", "", "func sandboxKey() string {", "\treturn os.Getenv(\"XENDIT_SECRET_KEY\")", "}", "",
          f"const buildID = \"{sha(40)}\"", f"const merchantRef = \"{u4()}\"")
    d.write()


def billing_java() -> None:
    d = Doc("BillingConfig.java")
    d.add("package com.acme.billing;", "", "public final class BillingConfig {", "    private BillingConfig() {}", "")
    d.secret("braintree-access-token", "    static final String BRAINTREE = \"{v}\";")
    d.secret("adyen-api-key", "    static final String ADYEN_API_KEY = \"{v}\";")
    d.secret("mollie-api-key", "    static final String MOLLIE_API_KEY = \"{v}\";")
    d.secret("shopify-admin-api-access-token", "    static final String SHOPIFY_TOKEN = \"{v}\";")
    d.secret("stripe-restricted-key", "    static final String STRIPE_REPORTING = \"{v}\";")
    d.secret("hubspot-private-app-token", "    static final String HUBSPOT = \"{v}\";")
    d.secret("salesforce-access-token", "    static final String SF_SESSION = \"{v}\";")
    d.add("    static final String SF_INSTANCE = \"https://acme.my.salesforce.com\";",
          f"    static final String SCHEMA_HASH = \"{sha(64)}\";", "    static final String STRIPE_KEY = System.getenv(\"STRIPE_SECRET_KEY\");", "}")
    d.write()


def prompt_en() -> None:
    d = Doc("prompt_en.txt")
    d.add("User: I'm getting 401 from the Anthropic API, can you see what's wrong with this?", "")
    d.add("```python", "import anthropic")
    d.secret("anthropic-api-key", "client = anthropic.Anthropic(api_key=\"{v}\")")
    d.add("msg = client.messages.create(model=\"claude-sonnet-4-5\", max_tokens=512, messages=[...])", "```", "")
    d.secret("openai-service-account-key", "Also the fallback uses OpenAI, key is {v} if that matters.")
    d.secret("openai-legacy-api-key", "The old script still has {v} hardcoded, is that one still valid?")
    d.secret("google-gemini-api-key", "And for Gemini we call generativelanguage.googleapis.com with key={v}")
    d.secret("replicate-api-token", "Replicate token: {v}")
    d.add("", "Assistant: Don't paste keys into chats. Rotate them and load from the environment instead.", "")
    d.add("User: ok. Another one — the Slack bot fails with invalid_auth:")
    d.secret("slack-user-token", "  curl -H 'Authorization: Bearer {v}' https://slack.com/api/auth.test")
    d.secret("stripe-secret-key", "and stripe says No such customer when I use {v}")
    d.secret("twitter-bearer-token", "Twitter bearer: {v}")
    d.secret("dropbox-short-lived-token", "dropbox access token {v}")
    d.secret("mapbox-secret-token", "MAPBOX_DOWNLOADS_TOKEN={v} for the iOS build")
    d.secret("airtable-pat", "airtable: {v}")
    d.secret("clickup-pat", "clickup personal token {v}")
    d.add("", "The commit is " + sha(40) + " and the request id was " + u4() + ".")
    d.write()


def prompt_zh() -> None:
    d = Doc("prompt_zh.txt")
    d.add("用户：帮我看看这个钉钉机器人为什么发不出消息？")
    d.secret("dingtalk-robot-webhook", "webhook 地址是 https://oapi.dingtalk.com/robot/send?access_token={v}")
    d.secret("dingtalk-robot-secret", "加签密钥：{v}")
    d.add("", "另外智谱和 DeepSeek 的调用也报错：")
    d.secret("zhipu-api-key", "ZHIPUAI_API_KEY={v}")
    d.secret("deepseek-api-key", "client = OpenAI(api_key=\"{v}\", base_url=\"https://api.deepseek.com\")", also=("dashscope-api-key",))
    d.secret("dashscope-api-key", "通义千问 dashscope.api_key = '{v}'", also=("deepseek-api-key",))
    d.secret("wecom-webhook-url", "企业微信群机器人：https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={v}")
    d.secret("lark-webhook-url", "飞书机器人 {v}")
    d.add("", "助手：请不要在对话里粘贴密钥，建议立即在控制台重置。", f"请求 ID：{u4()}，提交：{sha(40)}")
    d.write()


def ci_sh() -> None:
    d = Doc("deploy.sh")
    d.add("#!/usr/bin/env bash", "set -euo pipefail", ': "${DEPLOY_ENV:?}"', "")
    d.secret("clickhouse-cloud-api-secret", "curl -s -u \"$CH_KEY_ID:{v}\" https://api.clickhouse.cloud/v1/organizations")
    d.secret("snowflake-keypair-jwt", "curl -H \"Authorization: Bearer {v}\" https://acme.snowflakecomputing.com/api/v2/statements")
    d.secret("openai-admin-key", "curl https://api.openai.com/v1/organization/users -H \"Authorization: Bearer {v}\"")
    d.secret("anthropic-admin-key", "curl https://api.anthropic.com/v1/organizations/api_keys -H \"x-api-key: {v}\"")
    d.secret("zoho-oauth-token", "curl -H \"Authorization: Zoho-oauthtoken {v}\" https://www.zohoapis.com/crm/v2/Leads")
    d.add("curl -H \"Authorization: Bearer ${OPENAI_API_KEY}\" https://api.openai.com/v1/models",
          "curl -H \"DD-API-KEY: $DD_API_KEY\" https://api.datadoghq.com/api/v1/validate",
          f"echo \"deployed {sha(40)}\"")
    d.write()


# ---------------------------------------------------------------------------------------------
def decoys_py() -> None:
    name = "decoys.py"
    DECOYS.append(name)
    bad_glsa = glsa(valid=False)
    lines = [
        '"""Look-alikes that must not be reported by the application-credential packs."""',
        "import hashlib, os, uuid",
        "",
        f'GIT_SHA = "{sha(40)}"',
        f'ARTIFACT_SHA256 = "{sha(64)}"',
        f'ETAG = "{sha(32)}"',
        f'REQUEST_ID = "{u4()}"',
        f'TRACE_ID = "{sha(32)}"',
        'OPENAI_API_KEY = os.environ["OPENAI_API_KEY"]',
        'ANTHROPIC_API_KEY = os.getenv("ANTHROPIC_API_KEY")',
        'STRIPE_SECRET_KEY = "sk_live_..."  # set in the vault',
        'STRIPE_TEST_DOCS = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"',
        'SLACK_TOKEN = "xoxb-not-a-real-token-this-will-not-work"',
        'SENDGRID_DOCS = "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"',
        'SLACK_WEBHOOK = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"',
        'OPENAI_PLACEHOLDER = "sk-proj-' + "x" * 74 + "T3BlbkFJ" + "x" * 74 + '"',
        f'GRAFANA_TOKEN = "{bad_glsa}"  # checksum does not match',
        'GRAFANA_CLOUD = "glc_' + b64json({"user": "x", "pass": rnd(AN, 20)}) + '"',
        'ANTHROPIC_TEMPLATE = "sk-ant-api03-{key}"',
        'DISCORD_TOKEN = "' + b64(b"hello-world-bot-xx", pad=False) + "." + rnd(B64U, 6) + "." + rnd(B64U, 38) + '"',
        'HF_MODEL = "hf_transformers_pipeline_default"',
        'STRIPE_PUBLISHABLE = "pk_live_' + rnd(AN, 24) + '"',
        'SUPABASE_ANON_KEY = "' + jwt({"iss": "supabase", "ref": rnd(L, 20), "role": "anon"}) + '"',
        'ID_TOKEN = "' + jwt({"sub": "1234567890", "name": "Jane Doe", "iat": 1516239022}) + '"',
        'MIDTRANS_CLIENT_KEY = "Mid-client-' + rnd(B64U, 16) + '"',
        'OMISE_PUBLIC_KEY = "pkey_5' + rnd(L + D, 18) + '"',
        'XENDIT_PUBLIC_KEY = "xnd_public_production_' + rnd(AN, 40) + '"',
        'checksum = "sk-' + rnd(HEX, 32) + '"  # not a provider key: no provider named here',
        f'cache_key = "key-{sha(32)}"',
        f"user_hash = hashlib.md5(b'alice').hexdigest()  # {sha(32)}",
        "TELEGRAM_EXAMPLE = '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11'",
        'SHOPIFY_TOKEN = "shpat_00000000000000000000000000000000"',
        'DATABRICKS_TOKEN = "dapi<your-token>"',
        'NOTION_TOKEN = "ntn_<redacted>"',
        'TWITTER_BEARER = "AAAAAAAAAAAAAAAAAAAAAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"',
        f'session = uuid.UUID("{u4()}")',
        "def fw_updateFirmwareVersionNow(): ...",
        "re_compileAll_patternsForTheLexerNow = None",
        f"# Bump datadog-agent commit {sha(40)} (was {sha(40)})",
        f"# sentry-cli releases new {sha(64)}",
        f"# trello card {sha(32)} moved to Done",
        f"# upgrade stripe-python from {sha(7)} to {sha(7)}",
        f"# slack release notes: deploy {sha(40)} to prod",
    ]
    (HERE / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def decoys_md() -> None:
    name = "decoys.md"
    DECOYS.append(name)
    lines = [
        "# Configuring providers",
        "",
        "Set `OPENAI_API_KEY` to a key that starts with `sk-proj-` (see https://platform.openai.com/api-keys).",
        "Anthropic keys look like `sk-ant-api03-...`; never commit them.",
        "Slack bot tokens start with `xoxb-` and user tokens with `xoxp-`.",
        "",
        "```bash",
        "export STRIPE_SECRET_KEY=sk_live_********************",
        "export SLACK_WEBHOOK_URL=https://hooks.slack.com/services/<team>/<bot>/<token>",
        "export DISCORD_WEBHOOK=https://discord.com/api/webhooks/<id>/<token>",
        "export TEAMS_WEBHOOK=https://contoso.webhook.office.com/webhookb2/...",
        "export DATADOG_API_KEY=${DD_API_KEY}",
        "export GRAFANA_TOKEN={{ .Values.grafana.token }}",
        "export SENTRY_DSN=https://examplePublicKey@o0.ingest.sentry.io/0",
        "export MAILCHIMP_API_KEY=<key>-us6",
        "export LINE_CHANNEL_SECRET=%(line_secret)s",
        "```",
        "",
        f"Release `{sha(40)}` changed the webhook format; see issue #{R.randint(100, 999)}.",
        f"The object id `{u4()}` is a tenant, not a secret.",
        "Dingtalk: `https://oapi.dingtalk.com/robot/send?access_token=XXXXXXXX`.",
        "WeCom: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=YOUR_KEY`.",
        "Feishu: `https://open.feishu.cn/open-apis/bot/v2/hook/xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.",
    ]
    (HERE / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def spring_properties() -> None:
    d = Doc("application.properties")
    d.add("# Spring Boot config for the support portal", "spring.application.name=support-portal", "server.port=8080",
          "spring.datasource.url=jdbc:postgresql://db:5432/support", "spring.datasource.username=${DB_USER}", "spring.datasource.password=${DB_PASSWORD}")
    d.secret("datadog-app-key", "datadog.app-key={v}")
    d.secret("newrelic-license-key", "newrelic.license_key={v}")
    d.secret("auth0-client-secret", "auth0.client-secret={v}")
    d.secret("salesforce-consumer-secret", "salesforce.consumer-secret={v}")
    d.secret("zendesk-api-token", "zendesk.api-token={v}")
    d.secret("pagerduty-integration-key", "pagerduty.routing-key={v}")
    d.secret("opsgenie-api-key", "opsgenie.api-key={v}")
    d.secret("splunk-hec-token", "splunk.hec.token={v}")
    d.secret("sumologic-access-key", "sumologic.access-key={v}")
    d.secret("rollbar-access-token", "rollbar.access-token={v}")
    d.secret("launchdarkly-sdk-key", "launchdarkly.sdk-key={v}")
    d.secret("posthog-personal-api-key", "posthog.personal-api-key={v}")
    d.secret("dynatrace-api-token", "dynatrace.api-token={v}")
    d.add("management.endpoints.web.exposure.include=health,info", f"build.commit={sha(40)}", f"support.tenant-id={u4()}")
    d.write()


def compose_yaml() -> None:
    d = Doc("docker-compose.yml")
    d.add("services:", "  ingest:", "    image: ghcr.io/acme/ingest:1.8.2", "    environment:")
    d.secret("confluent-api-key", "      CONFLUENT_CLOUD_API_KEY: {v}")
    d.secret("confluent-api-secret", "      CONFLUENT_CLOUD_API_SECRET: \"{v}\"")
    d.secret("elastic-cloud-api-key", "      ELASTIC_API_KEY: {v}")
    d.secret("algolia-admin-api-key", "      ALGOLIA_ADMIN_KEY: {v}")
    d.add(f"      ALGOLIA_APP_ID: {rnd(U + D, 10)}", f"      ALGOLIA_SEARCH_KEY: {rnd(HEX, 32)}  # search-only, public")
    d.secret("meilisearch-master-key", "      MEILI_MASTER_KEY: {v}")
    d.secret("hasura-admin-secret", "      HASURA_GRAPHQL_ADMIN_SECRET: {v}")
    d.secret("influxdb-token", "      INFLUXDB_TOKEN: \"{v}\"")
    d.secret("xata-api-key", "      XATA_API_KEY: {v}")
    d.secret("tinybird-token", "      TB_TOKEN: {v}")
    d.secret("dbt-cloud-token", "      DBT_CLOUD_API_TOKEN: {v}")
    d.secret("metabase-api-key", "      METABASE_API_KEY: \"{v}\"")
    d.secret("prefect-api-key", "      PREFECT_API_KEY: {v}")
    d.secret("upstash-qstash-token", "      QSTASH_TOKEN: \"{v}\"")
    d.secret("turso-auth-token", "      TURSO_AUTH_TOKEN: {v}")
    d.add("    ports:", "      - \"8080:8080\"", "  cache:", "    image: redis:7", f"    command: [\"redis-server\", \"--requirepass\", \"${{REDIS_PASSWORD}}\"]")
    d.write()


def chat_payload_json() -> None:
    d = Doc("chat_payload.jsonl")
    def msg(text: str) -> str:
        return json.dumps({"role": "user", "content": text}, ensure_ascii=False)
    d.add(json.dumps({"model": "gpt-4.1", "stream": True}))
    for rule, tmpl in [
        ("together-api-key", "TOGETHER_API_KEY={v} works locally but not in CI"),
        ("fireworks-api-key", "fireworks key {v} returns 403"),
        ("cerebras-api-key", "Cerebras: {v}"),
        ("nvidia-api-key", "NVIDIA_API_KEY={v}"),
        ("jina-api-key", "jina reader with {v}"),
        ("tavily-api-key", "tavily = TavilyClient(api_key='{v}')"),
        ("llamacloud-api-key", "LLAMA_CLOUD_API_KEY={v}"),
        ("firecrawl-api-key", "FirecrawlApp(api_key='{v}')"),
        ("elevenlabs-api-key", "ELEVENLABS_API_KEY={v} and voice id 21m00Tcm4TlvDq8ikWAM"),
        ("assemblyai-api-key", "assemblyai key: {v}"),
        ("deepgram-api-key", "DEEPGRAM_API_KEY={v}"),
        ("voyage-api-key", "voyageai.Client(api_key='{v}')"),
        ("langfuse-secret-key", "LANGFUSE_SECRET_KEY={v}"),
        ("neptune-api-token", "NEPTUNE_API_TOKEN={v}"),
    ]:
        d.secret(rule, msg(tmpl.replace("{v}", "\x00")).replace("\\u0000", "{v}"))
    d.add(msg("thanks, and here is the trace id " + u4()))
    d.write()


def notify_py() -> None:
    d = Doc("notify.py")
    d.add('"""Chat and SMS fan-out used by the on-call bot."""', "import os", "import requests", "")
    d.secret("mattermost-webhook-url", "MATTERMOST_WEBHOOK = \"{v}\"")
    d.secret("rocketchat-webhook-url", "ROCKETCHAT_WEBHOOK = \"{v}\"")
    d.secret("zulip-api-key", "zulip_client = zulip.Client(email='bot@acme.zulipchat.com', zulip_key='{v}')".replace("zulip_client = zulip.Client(email='bot@acme.zulipchat.com', ", "ZULIP_API_KEY = ").replace("zulip_key=", "").rstrip(")"))
    d.secret("line-channel-access-token", "LINE_CHANNEL_ACCESS_TOKEN = '{v}'")
    d.secret("telnyx-api-key", "telnyx.api_key = '{v}'")
    d.secret("plivo-auth-token", "PLIVO_AUTH_TOKEN = '{v}'")
    d.secret("pusher-app-secret", "pusher_client = pusher.Pusher(app_id='1', key='k', pusher_secret='{v}')".replace("pusher_client = pusher.Pusher(app_id='1', key='k', ", "").rstrip(")"))
    d.secret("ably-api-key", "ABLY_API_KEY = '{v}'")
    d.secret("intercom-access-token", "INTERCOM_TOKEN = '{v}'")
    d.secret("postmark-server-token", "POSTMARK_SERVER_TOKEN = '{v}'")
    d.secret("mailersend-api-token", "MAILERSEND_API_KEY = '{v}'")
    d.secret("onesignal-rest-api-key", "ONESIGNAL_REST_API_KEY = '{v}'")
    d.secret("google-chat-webhook-url", "GCHAT = 'https://chat.googleapis.com/v1/spaces/AAQA" + rnd(B64U, 7) + "/messages?key=AIzaSy" + rnd(B64U, 33) + "&token={v}'")
    d.secret("africastalking-api-key", "AT_API_KEY = '{v}'")
    d.secret("pubnub-secret-key", "PUBNUB_SECRET_KEY = '{v}'")
    d.add("", "def page(text: str) -> None:", "    requests.post(MATTERMOST_WEBHOOK, json={'text': text}, timeout=5)", f"    # ticket {u4()}")
    d.write()


def decoys_config() -> None:
    name = "decoys_config.yaml"
    DECOYS.append(name)
    lines = [
        "# Templated config: every value comes from the environment or the vault",
        "slack:",
        "  bot_token: ${SLACK_BOT_TOKEN}",
        "  webhook: \"{{ .Values.slack.webhook }}\"",
        "openai:",
        "  api_key: \"%(openai_key)s\"",
        "datadog:",
        "  api_key: <DATADOG_API_KEY>",
        "  app_key: \"__DD_APP_KEY__\"",
        "stripe:",
        "  secret_key: \"sk_live_xxxxxxxxxxxxxxxxxxxxxxxx\"",
        "grafana:",
        "  token: \"glsa_...\"",
        "sentry:",
        "  dsn: https://examplePublicKey@o0.ingest.sentry.io/0",
        "telegram:",
        "  bot_token: \"123456789:AAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"",
        "twilio:",
        "  account_sid: ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "  auth_token: your_auth_token",
        "mailchimp:",
        "  api_key: 00000000000000000000000000000000-us6",
        "image:",
        f"  digest: sha256:{sha(64)}",
        f"  revision: {sha(40)}",
        f"tenant: {u4()}",
    ]
    (HERE / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def notebook() -> None:
    """A Jupyter notebook: source lines are JSON strings with escaped quotes."""
    d = Doc("rag_demo.ipynb")
    d.add("{", " \"cells\": [", "  {", "   \"cell_type\": \"code\",", "   \"execution_count\": 1,", "   \"metadata\": {},",
          "   \"outputs\": [],", "   \"source\": [", "    \"import os\\n\",")
    d.secret("openai-project-key", "    \"os.environ[\\\"OPENAI_API_KEY\\\"] = \\\"{v}\\\"\\n\",")
    d.secret("mistral-api-key", "    \"os.environ[\\\"MISTRAL_API_KEY\\\"] = \\\"{v}\\\"\\n\",")
    d.secret("pinecone-api-key", "    \"pc = Pinecone(api_key=\\\"{v}\\\")\\n\",")
    d.secret("cohere-api-key", "    \"co = cohere.Client(\\\"{v}\\\")  # cohere rerank\\n\",")
    d.secret("huggingface-access-token", "    \"login(token=\\\"{v}\\\")\"")
    d.add("   ]", "  }", " ],", " \"metadata\": {\"kernelspec\": {\"name\": \"python3\"}},", " \"nbformat\": 4,", " \"nbformat_minor\": 5", "}")
    d.write()


def raw_chat_log() -> None:
    """Raw API request bodies as logged by a proxy: newlines are JSON escapes."""
    d = Doc("proxy_requests.log")
    def body(text: str) -> str:
        return "POST /v1/messages " + json.dumps({"model": "claude-sonnet-4-5", "messages": [{"role": "user", "content": text}]})
    for rule, tmpl in [
        ("anthropic-api-key", "my deploy fails:\n{v}\nis the key wrong?"),
        ("slack-bot-token", "bot token below\n{v}"),
        ("stripe-secret-key", "Stripe says invalid key.\n\tkey: {v}"),
        ("groq-api-key", "config:\nGROQ_API_KEY={v}\nMODEL=llama-3.3"),
        ("datadog-api-key", "agent.yaml\napi_key: x\nDD_API_KEY: {v}"),
    ]:
        d.secret(rule, body(tmpl.replace("{v}", "\x00")).replace("\\u0000", "{v}"))
    d.add(body("no secrets here, just a question about " + sha(40)))
    d.write()


def main() -> None:
    for fn in (notebook, raw_chat_log, spring_properties, compose_yaml, chat_payload_json, notify_py, decoys_config, settings_py, dotenv, values_yaml, notify_js, payments_go, billing_java, prompt_en, prompt_zh, ci_sh, decoys_py, decoys_md):
        fn()
    import yaml

    out = {"packs": ["secrets/ai", "secrets/data", "secrets/messaging", "secrets/payments", "secrets/saas"],
           "positives": LABELS, "decoys": DECOYS}
    header = "# Generated by _generate.py: expected (rule, line) per positive file; decoy files expect no finding.\n"
    (HERE / "labels.yaml").write_text(header + yaml.safe_dump(out, sort_keys=False, width=200), encoding="utf-8")


if __name__ == "__main__":
    main()
