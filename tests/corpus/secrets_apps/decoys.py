"""Look-alikes that must not be reported by the application-credential packs."""
import hashlib, os, uuid

GIT_SHA = "dbee348c1af75df4dd643ea79db41da942b89e65"
ARTIFACT_SHA256 = "9000342b67f105473d827c64c3d27a404c606780a9ec05d3efed6ed38a3278a9"
ETAG = "75345f01a644d936b913f176d38d8525"
REQUEST_ID = "b0a7f700-8c6f-4e22-84e2-370fba1e7a07"
TRACE_ID = "824ca6c6468a80e4ef038679a239b646"
OPENAI_API_KEY = os.environ["OPENAI_API_KEY"]
ANTHROPIC_API_KEY = os.getenv("ANTHROPIC_API_KEY")
STRIPE_SECRET_KEY = "sk_live_..."  # set in the vault
STRIPE_TEST_DOCS = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
SLACK_TOKEN = "xoxb-not-a-real-token-this-will-not-work"
SENDGRID_DOCS = "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"
SLACK_WEBHOOK = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"
OPENAI_PLACEHOLDER = "sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxT3BlbkFJxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
GRAFANA_TOKEN = "glsa_wYYgYmmdxjJu0XKTeZGVvvogDIyKqX44_6a691e80"  # checksum does not match
GRAFANA_CLOUD = "glc_eyJ1c2VyIjoieCIsInBhc3MiOiJld1NZRGE1MXdaSnpicGVyVDBzeiJ9"
ANTHROPIC_TEMPLATE = "sk-ant-api03-{key}"
DISCORD_TOKEN = "aGVsbG8td29ybGQtYm90LXh4.hRxzTT.Qys47i55DkiVqiC-PqfX1LDPsQK9qAh85HZVKH"
HF_MODEL = "hf_transformers_pipeline_default"
STRIPE_PUBLISHABLE = "pk_live_DdO4Zc9bQchnwfxmR7f8NjkW"
SUPABASE_ANON_KEY = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6ImF5bmd6dXZ6bnViY3hxenB3ZGNoIiwicm9sZSI6ImFub24ifQ.TTqoJ9upm_8AXkCEck-r7wQP6DriqtRsD4Fk8XU1nH0"
ID_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkphbmUgRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.a4sI4qpqEJPZ3kxohAO9ODVH4oSvWMlgJR8QIAUYG3Y"
MIDTRANS_CLIENT_KEY = "Mid-client-E8GpIO9aL9UOpgmP"
OMISE_PUBLIC_KEY = "pkey_55zl5pmvlvwg05osty5"
XENDIT_PUBLIC_KEY = "xnd_public_production_wzOhJSCpm6xfbTgi774lMibnOp40YTzN6RozhL95"
checksum = "sk-27f18a6a6108db049f15c4db745104f6"  # not a provider key: no provider named here
cache_key = "key-1280fe5bfa4502fba01a1f50187d3b89"
user_hash = hashlib.md5(b'alice').hexdigest()  # 5fadd1401469c5a7a2a4ddd2d9e0707b
TELEGRAM_EXAMPLE = '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11'
SHOPIFY_TOKEN = "shpat_00000000000000000000000000000000"
DATABRICKS_TOKEN = "dapi<your-token>"
NOTION_TOKEN = "ntn_<redacted>"
TWITTER_BEARER = "AAAAAAAAAAAAAAAAAAAAAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
session = uuid.UUID("791b04e6-53a1-4245-b305-76553107ff11")
def fw_updateFirmwareVersionNow(): ...
re_compileAll_patternsForTheLexerNow = None
