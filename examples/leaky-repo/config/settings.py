"""Service settings (do not do this: use the environment)."""
import os

DEBUG = False
AWS_ACCESS_KEY_ID = "AKIAZQDG4W5LLTZQLI3N"
AWS_SECRET_ACCESS_KEY = "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"
STRIPE_API_KEY = "sk_live_osfhypnXLDn8S9wPNWkPLR34"
DATABASE_URL = "postgres://billing:t8pxbkcM5yeDswqoiA@db.internal:5432/billing"
SENTRY_DSN = os.environ.get("SENTRY_DSN")  # an environment lookup is fine
EXAMPLE_KEY = "AKIAIOSFODNN7EXAMPLE"  # AWS's documented example: not reported
