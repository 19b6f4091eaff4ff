"""Look-alikes that must not be reported by the application-credential packs."""
import hashlib, os, uuid

GIT_SHA = "95a1fd96d0ad4ff7321e1453094058d3e99a4408"
ARTIFACT_SHA256 = "7e60acce5a807aaa68a1af7d781a723f6e803f53bcab1d91fbc7ea14a0ac940d"
ETAG = "144e1d0bc4cb74f7fddd8cec55de0db1"
REQUEST_ID = "c5946104-8356-47b8-9234-6cf853108bd7"
TRACE_ID = "2254418f28b7a5833645ac841aca19e6"
OPENAI_API_KEY = os.environ["OPENAI_API_KEY"]
ANTHROPIC_API_KEY = os.getenv("ANTHROPIC_API_KEY")
STRIPE_SECRET_KEY = "sk_live_..."  # set in the vault
STRIPE_TEST_DOCS = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
SLACK_TOKEN = "xoxb-not-a-real-token-this-will-not-work"
SENDGRID_DOCS = "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"
SLACK_WEBHOOK = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"
OPENAI_PLACEHOLDER = "sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxT3BlbkFJxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
GRAFANA_TOKEN = "glsa_Egfk44UALifCy2pUhNGavMCuUwqMSLTR_4d5242c0"  # checksum does not match
GRAFANA_CLOUD = "glc_eyJ1c2VyIjoieCIsInBhc3MiOiJIazJUclRJOHRJOGo5S0FnZm5ldCJ9"
ANTHROPIC_TEMPLATE = "sk-ant-api03-{key}"
DISCORD_TOKEN = "aGVsbG8td29ybGQtYm90LXh4.vvDjxh.UNI01cICOrN264jbyzu_qyjh4qOj9aBdjyOaOB"
HF_MODEL = "hf_transformers_pipeline_default"
STRIPE_PUBLISHABLE = "pk_live_CSqwml1BQ8KyICgMEk2WgFzl"
SUPABASE_ANON_KEY = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6Ind2bW9kcGp3c2FocXl1dGZ4aXpsIiwicm9sZSI6ImFub24ifQ.dYlTgMLZB8f0Mk_zlmrDFX85f9T52j6YigGHR8gP4bV"
ID_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkphbmUgRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.yhi_auEjUMM6DszPI6hEE3-ubVsGxgM-qyGY9JwGZ0V"
MIDTRANS_CLIENT_KEY = "Mid-client-LiWBsOWsARIqrYq1"
OMISE_PUBLIC_KEY = "pkey_5sf5petuzmwbijokvux"
XENDIT_PUBLIC_KEY = "xnd_public_production_RF2GG9rDAFvcuuQ8L2c6ujRf2iCaGQpjujNyZSf8"
checksum = "sk-066aa7e0bbb22d422da486e762587fa0"  # not a provider key: no provider named here
cache_key = "key-0eeb238ac66473670cda36e55f5b7e1a"
user_hash = hashlib.md5(b'alice').hexdigest()  # f23a1bd97d5e79107f288da309607429
TELEGRAM_EXAMPLE = '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11'
SHOPIFY_TOKEN = "shpat_00000000000000000000000000000000"
DATABRICKS_TOKEN = "dapi<your-token>"
NOTION_TOKEN = "ntn_<redacted>"
TWITTER_BEARER = "AAAAAAAAAAAAAAAAAAAAAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
session = uuid.UUID("958312e8-17f5-4189-bad2-1adf3670e30e")
def fw_updateFirmwareVersionNow(): ...
re_compileAll_patternsForTheLexerNow = None
# Bump datadog-agent commit 821b8e4741b422f2fbbb5ad7b02e7f4187046fef (was aab7e3d9c964e45123cbcc7396eebcef0c3f162c)
# sentry-cli releases new c9ac8497109dbe321d6808148f6de1647cb504c22b8e8772bc29f4bec5aeddcf
# trello card 93ea0fac9a04d05e7af18efd7e76bdf3 moved to Done
# upgrade stripe-python from b46beda to b2891b0
# slack release notes: deploy 027eb3605dbc2b19efb20912bf7126d57e0ff50e to prod
