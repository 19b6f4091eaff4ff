package com.acme.billing;

public final class BillingConfig {
    private BillingConfig() {}

    static final String BRAINTREE = "access_token$production$nkwf75ie14wnec3u$812311cdc678398e3e4955ef1c835f73";
    static final String ADYEN_API_KEY = "AQEKmx/hRLxVmZEf+/oIjKyZ1lRnrBFVpLJZgvCQCoUF5f8t1D31lHKA2nNIyNJ3Dme1csXEqKKKW95vtLjYq-Iwl+bGWBvxwsf5Zxfv6j+JRjDDH9aO5diXf2a0mlNxaQRnGgbdeyCQ-r4L7Xl36fwn4";
    static final String MOLLIE_API_KEY = "live_kNcMjXJrZVujaHlIk42Nor1nqwqjv8";
    static final String SHOPIFY_TOKEN = "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";
    static final String STRIPE_REPORTING = "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";
    static final String HUBSPOT = "pat-na1-9b2d54bc-16ec-4410-8801-b853e8a868d8";
    static final String SF_SESSION = "00DdJLTVuiynny5!Gl7.xd6xwOljn8Q3JDyC5N7EC2dWVu_gvYDT2mVoE2qsaIAqoMELNqBOmErwo5vZVNbGqAnMhlkBQii7JewOja_pmbpZR.gP";
    static final String SF_INSTANCE = "https://acme.my.salesforce.com";
    static final String SCHEMA_HASH = "8e923407ec0a320625dd30a55ed9c7d1041cc63edb4941ef74ee998c4ce9ece8";
    static final String STRIPE_KEY = System.getenv("STRIPE_SECRET_KEY");
}
