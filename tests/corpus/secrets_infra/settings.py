"""Django settings for the billing portal."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "django-insecure-Pgr5bscbl0AZAIvOufIu^!(tn4b1KG5B6E3JA3oANbOGcdz82l"
DEBUG = os.environ.get("DEBUG", "0") == "1"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "billing",
        "USER": "billing_app",
        "PASSWORD": "Qm7fnXbZkKIOJB",
        "HOST": os.environ.get("DB_HOST", "localhost"),
    },
    "replica": {
        "ENGINE": "django.db.backends.postgresql",
        "PASSWORD": os.environ["REPLICA_DB_PASSWORD"],
    },
}

EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD")
PASSWORD_RESET_TIMEOUT = 3600
AUTH_PASSWORD_VALIDATORS = [{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"}]

STRIPE_WEBHOOK_SECRET_NAME = "billing/stripe-webhook"
GOOGLE_MAPS_API_KEY = "AIzajI3f2mSJVuyzJwmOKSitYnNSwkO33PoEcYi"
SENTRY_DSN_TEMPLATE = "https://{key}@o0.ingest.sentry.io/{project}"
INTERNAL_API_TOKEN = "1CLovyroX3wZW4kSHU8o8ctaYF777Q23ejvB8zXP"
API_TOKEN_HEADER = "X-Internal-Token"
TOKEN_TYPE = "Bearer"
CACHE_KEY_PREFIX = "billing"
FILE_HASH = "fb25e9e2dbf465c323c32190e83ab9f7dd05b3cacbaeef97d91b7f5bdac66b05"

CELERY_BROKER_URL = "amqps://billing:9kmi8r8VsgxdQJg7GtOT@mq.acme.internal:5671/billing"
