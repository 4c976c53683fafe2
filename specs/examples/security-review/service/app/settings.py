"""Settings of the billing service."""
import os

DEBUG = False
DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///billing.db")

# Signing key for session cookies, provided by the deployment.
SECRET_KEY = os.environ["APP_SECRET_KEY"]

# Payment provider credentials.
PAYMENT_API_URL = "https://payments.example.com/v2"
PAYMENT_API_KEY = "sk_live_51H8xQe2eZvKYlo2C9d7xTqWm3Rp"

REQUEST_TIMEOUT_SECONDS = 30
