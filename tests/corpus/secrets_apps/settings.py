"""Django settings for the billing service (staging copy pasted for review)."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY_FALLBACKS = []  # rotated 7c11c05
DEBUG = False

# --- AI providers ---
OPENAI_API_KEY = "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"
OPENAI_ORG = os.environ.get("OPENAI_ORG", "")
ANTHROPIC_API_KEY = os.getenv("ANTHROPIC_API_KEY", "sk-ant-api03-raNFbMkoo5kmozpi-OvPBr2cdJLT1bc5gCO7FCOPOfsHYao9h5SlWZCzJs6DdB1QRwmyjC_FWfP64ojXa-6eGqAismkSVAA")
GEMINI_API_KEY = os.environ["GEMINI_API_KEY"]
HF_TOKEN = "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"  # read-only, for model downloads

# --- payments ---
STRIPE_SECRET_KEY = "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"
STRIPE_PUBLISHABLE_KEY = "pk_live_cH96HeXZiPiqFTCA4SVM9ZwXnv31EsJe8HLAFB0TcyM89CzwhuwnO41JLmIHENxKvZLzQRe2ND2Eco2x0wuuMiBUjNg5hLlb43J"  # public by design
STRIPE_WEBHOOK_SECRET = "whsec_u38RdIu2i2mjEwEzSkyZx7SmJQDFBC7W"
STRIPE_TEST_KEY = "sk_test_..."

# --- notifications ---
SLACK_BOT_TOKEN = "xoxb-651087442772-1142889755447-kBqwas0t1HI0AztX35Qp3KgP"
EMAIL_HOST_PASSWORD = "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"
EMAIL_HOST_USER = "apikey"
SLACK_CHANNEL = "#billing-alerts"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}}
STATIC_VERSION = "21eac36f1a8614399fa0bff5b65912836ef93946"
