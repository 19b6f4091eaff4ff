"""Look-alikes that must not be reported by the application-credential packs."""
import hashlib, os, uuid

GIT_SHA = "aaf376c9661255898ebb79527ae5fd50590cab2a"
ARTIFACT_SHA256 = "e141572201a1246930e151853a291bfd9954cd2833fae07417a70957790b41f2"
ETAG = "bd0735ccb9a54962dff5241fb9371b3e"
REQUEST_ID = "72fa92e3-9262-476f-af8f-96636d6f98e3"
TRACE_ID = "b20898558a600db504d77a15b4d29552"
OPENAI_API_KEY = os.environ["OPENAI_API_KEY"]
ANTHROPIC_API_KEY = os.getenv("ANTHROPIC_API_KEY")
STRIPE_SECRET_KEY = "sk_live_..."  # set in the vault
STRIPE_TEST_DOCS = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
SLACK_TOKEN = "xoxb-not-a-real-token-this-will-not-work"
SENDGRID_DOCS = "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"
SLACK_WEBHOOK = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"
OPENAI_PLACEHOLDER = "sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxT3BlbkFJxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
GRAFANA_TOKEN = "glsa_tYO2IHpZWPxR39HPUkSAgFkkKuMOPVKF_fef3e871"  # checksum does not match
GRAFANA_CLOUD = "glc_eyJ1c2VyIjoieCIsInBhc3MiOiJORjV0bGtNYjI1MllRb2NQSVVCYSJ9"
ANTHROPIC_TEMPLATE = "sk-ant-api03-{key}"
DISCORD_TOKEN = "aGVsbG8td29ybGQtYm90LXh4.iA5IyS.mDzi6126wy2sbCsK_Dqt02DUyxbt44UUF5ndjo"
HF_MODEL = "hf_transformers_pipeline_default"
STRIPE_PUBLISHABLE = "pk_live_q4h29HSSiKw6Vq9fE0QO8QJv"
SUPABASE_ANON_KEY = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InRxaXlyZHlheWNva294ZWdoZ2l5Iiwicm9sZSI6ImFub24ifQ.gk4-hfOU2rr3AWedeH7SLX6JRKbsVF-GBPrQId8cBKe"
ID_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkphbmUgRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.EJ5ZFzjTvmRY0AUqSU-bC_ADB4vi5gPsAACRwuV-CYV"
MIDTRANS_CLIENT_KEY = "Mid-client-hT4ruKB73bis5LaP"
OMISE_PUBLIC_KEY = "pkey_5d9iixm0xmmjy0s5wce"
XENDIT_PUBLIC_KEY = "xnd_public_production_6aACI8oSeQeHzzLlqCLYwk5BYcqPVnUY9Jy9Whsa"
checksum = "sk-eb021c38782f032e52671ee5f0b2edc7"  # not a provider key: no provider named here
cache_key = "key-70b33f510b199f7141e92fa05f1a63d6"
user_hash = hashlib.md5(b'alice').hexdigest()  # 1a6959895a1fd96d0ad4ff7321e14530
TELEGRAM_EXAMPLE = '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11'
SHOPIFY_TOKEN = "shpat_00000000000000000000000000000000"
DATABRICKS_TOKEN = "dapi<your-token>"
NOTION_TOKEN = "ntn_<redacted>"
TWITTER_BEARER = "AAAAAAAAAAAAAAAAAAAAAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
session = uuid.UUID("2e1b182b-01ab-480c-a3f0-5fbe4ec8a773")
def fw_updateFirmwareVersionNow(): ...
re_compileAll_patternsForTheLexerNow = None
# Bump datadog-agent commit 8d3e99a44087e60acce5a807aaa68a1af7d781a7 (was 23f6e803f53bcab1d91fbc7ea14a0ac940d144e1)
# sentry-cli releases new d0bc4cb74f7fddd8cec55de0db1a2254418f28b7a5833645ac841aca19e63994
# trello card 450ffbb08c8532dd7203a3dee86ccbfa moved to Done
# upgrade stripe-python from c88ea38 to f6078c3
# slack release notes: deploy 630190854162b2ce3f90758b769483260f7d39fc to prod
