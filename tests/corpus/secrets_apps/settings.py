"""Django settings for the billing service (staging copy pasted for review)."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY_FALLBACKS = []  # rotated d9d7c6c
DEBUG = False

# --- AI providers ---
OPENAI_API_KEY = "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"
OPENAI_ORG = os.environ.get("OPENAI_ORG", "")
ANTHROPIC_API_KEY = os.getenv("ANTHROPIC_API_KEY", "sk-ant-api03-kJD8NWGLL66tfT9wTiNccZEtj_Fj_ry25AFJUvWNabSQ6rwaafH5t79Ov363PVTUmDSeJEd_TWOTRbpreBHnjdWVw3WCWAA")
GEMINI_API_KEY = os.environ["GEMINI_API_KEY"]
HF_TOKEN = "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"  # read-only, for model downloads

# --- payments ---
STRIPE_SECRET_KEY = "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"
STRIPE_PUBLISHABLE_KEY = "pk_live_mdOq1yT23lfuFGGPzYDtbbi95xYe9yaD2Js6BY9HbCaaeFL3E3fXDLZ615u37F5amqTgUyQ5TNKuXp7upULmndGSMVSxbOAnVVj"  # public by design
STRIPE_WEBHOOK_SECRET = "whsec_L7bqz1jqjT2RYPTPwN8biPgKkyHTrfl6"
STRIPE_TEST_KEY = "sk_test_..."

# --- notifications ---
SLACK_BOT_TOKEN = "xoxb-925887163864-7528614037200-Olj8V51HZ7dFJmUPmkV1MzcD"
EMAIL_HOST_PASSWORD = "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"
EMAIL_HOST_USER = "apikey"
SLACK_CHANNEL = "#billing-alerts"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}}
STATIC_VERSION = "ca92f370997b5125b1c760bc7c40a236056f1f4a"
