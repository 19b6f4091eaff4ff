#!/usr/bin/env bash
set -euo pipefail
: "${DEPLOY_ENV:?}"

curl -s -u "$CH_KEY_ID:4b1dVWh01F5Utn4c9DIj1mDK7xsl6isPEFBDmn8UDs" https://api.clickhouse.cloud/v1/organizations
curl -H "Authorization: Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJBQ01FLlNWQ19FVEwuU0hBMjU2Olp3UzJ6OW9vNzV6ckNFc1JPSzJrbWRUS1hpUzZPL1hRNU9mR25NaUJNREU9Iiwic3ViIjoiQUNNRS5TVkNfRVRMIiwiaWF0IjoxNzMyMDAwMDAwfQ.kPC4GWHgVMrIkFu80lkWTx0KjNN8o4AfTGdqcBkVcdk" https://acme.snowflakecomputing.com/api/v2/statements
curl https://api.openai.com/v1/organization/users -H "Authorization: Bearer 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"
curl https://api.anthropic.com/v1/organizations/api_keys -H "x-api-key: sk-ant-admin01-fZigk4-hfOU2rr3AWedeH7SLX6JRKbsVF-GBPrQId8cBKeEJ5ZFzjTvmRY0AUqSU-bC_ADB4vi5gPsAACRwuV-CYVhT4rAA"
curl -H "Authorization: Zoho-oauthtoken 1000.b20ed68be263144b6db664cd9fb12d01.49f8f3515c0ce7aac4bdeb021c38782f" https://www.zohoapis.com/crm/v2/Leads
curl -H "Authorization: Bearer ${OPENAI_API_KEY}" https://api.openai.com/v1/models
curl -H "DD-API-KEY: $DD_API_KEY" https://api.datadoghq.com/api/v1/validate
echo "deployed 032e52671ee5f0b2edc770b33f510b199f7141e9"
