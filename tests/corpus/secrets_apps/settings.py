"""Django settings for the billing service (staging copy pasted for review)."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY_FALLBACKS = []  # rotated c2da034
DEBUG = False

# --- AI providers ---
OPENAI_API_KEY = "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"
OPENAI_ORG = os.environ.get("OPENAI_ORG", "")
ANTHROPIC_API_KEY = os.getenv("ANTHROPIC_API_KEY", "sk-ant-api03-YiWEjojxPsYrOFSo4XtD_cfgTF3TUFCyxDYUGLZmcSIN57Vd4i4ip3xNyMRidlYfSrHL03susd3tn-rh1TnMSXbKIXFNEAA")
GEMINI_API_KEY = os.environ["GEMINI_API_KEY"]
HF_TOKEN = "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"  # read-only, for model downloads

# --- payments ---
STRIPE_SECRET_KEY = "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"
STRIPE_PUBLISHABLE_KEY = "pk_live_Wx9wM0roNt8ADLr01iyeWxQsO84KMhqeFvf2i6RZL6AeiHwWEC0YuSHen5YEWt3IHXFntuwNAsCZ6ZcDjU5jPLavPWtz1iphwNw"  # public by design
STRIPE_WEBHOOK_SECRET = "whsec_F85QlDTn83a9Bgtd0aueF7t0UDCh206e"
STRIPE_TEST_KEY = "sk_test_..."

# --- notifications ---
SLACK_BOT_TOKEN = "xoxb-908288704134-4310293579003-Myp9DOjdmjt6rza2ka0noFkc"
EMAIL_HOST_PASSWORD = "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"
EMAIL_HOST_USER = "apikey"
SLACK_CHANNEL = "#billing-alerts"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}}
STATIC_VERSION = "50f8f1eb7860a5dc3271924406250da7e595d940"
