package com.acme.billing;

public final class BillingConfig {
    private BillingConfig() {}

    static final String BRAINTREE = "access_token$production$5n9wa0m1df64hfpj$4aa2fba9ff0590179faec43e0a8ab4b0";
    static final String ADYEN_API_KEY = "AQE2c9dhACgzVpbqone9Jbx1deZz+EODrHPubAm5TwbjbdLJn/6EuSlcziD2+rsbOWL2/M15iKNC9XfR4X6Zq-vrIu+rhYGU4GldwP895oaHkqF5gu0Cv8aPLnyiM2OuDpO/E1OyMncQ-WEc39lVU3x5V";
    static final String MOLLIE_API_KEY = "live_Cl8Ew2HM98bSlgYUQz6AHeiHB2KDyc";
    static final String SHOPIFY_TOKEN = "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";
    static final String STRIPE_REPORTING = "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";
    static final String HUBSPOT = "pat-na1-9d73d5ec-dfa8-4818-82e2-28fbd5dad53e";
    static final String SF_SESSION = "00D73xlQbXr1omA!Ql.FWxT3veTUGCR_YGKhD86Ut9rRVBJ9upAFrF_XCFhd1MujkV9q03HTDESakyVpcpLrR302L1l6BcAdvYp8y1zYgJVV2IRg";
    static final String SF_INSTANCE = "https://acme.my.salesforce.com";
    static final String SCHEMA_HASH = "4b255e19b3c92edf3d5f2a15f40d31643a168e9bf90ea3f793883a696c7a167a";
    static final String STRIPE_KEY = System.getenv("STRIPE_SECRET_KEY");
}
