package com.acme.billing;

public final class BillingConfig {
    private BillingConfig() {}

    static final String BRAINTREE = "access_token$production$pco7l7y48nokb5r5$1eb7860a5dc3271924406250da7e595d";
    static final String ADYEN_API_KEY = "AQErT3VEr71CFTOF4fUoiXpIXBiGKr8rwJJOcaLRgc7QcEaqQMXU9g1DaTPx0gQav9WPrOd2j6i7JHihJWc+o-Yw6lGYKZHYGDD3oS1c6EwyzcGVRpNb/+F2sAi+JY5m1hIYRLnSe+uQ-bOu2Y83hNgZ5";
    static final String MOLLIE_API_KEY = "live_8NWLqiIXnmZWO3aPfCxLv4CXGWxOjX";
    static final String SHOPIFY_TOKEN = "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";
    static final String STRIPE_REPORTING = "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";
    static final String HUBSPOT = "pat-na1-d4178866-62a6-434b-bc9e-330b6b8b09dd";
    static final String SF_SESSION = "00DPrxdyXIJ3H8N!VWwWEiUYkytJ4B.wHtC8ZJ7MsXmlPor6fhDWTfWkJD8NWGLL66tfT9wTiNccZEtj_Fj_ry25AFJUvWNabSQ6rwaafH5t79Ov";
    static final String SF_INSTANCE = "https://acme.my.salesforce.com";
    static final String SCHEMA_HASH = "ded35459047217f453446aa70198755cd50511e463d9fe72895dbfab94578590";
    static final String STRIPE_KEY = System.getenv("STRIPE_SECRET_KEY");
}
