#!/usr/bin/env bash
set -euo pipefail
: "${DEPLOY_ENV:?}"

curl -s -u "$CH_KEY_ID:4b1dUJegmasjBsa2Ep2HVtsPbwwE735eormRPO65lm" https://api.clickhouse.cloud/v1/organizations
curl -H "Authorization: Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJBQ01FLlNWQ19FVEwuU0hBMjU2OnR0OUJxWjFqSE1sZHNNbDJzT1VXQnJLd2FrTytTRXA0eVR5RGxOdlhSc0U9Iiwic3ViIjoiQUNNRS5TVkNfRVRMIiwiaWF0IjoxNzMyMDAwMDAwfQ.D4IkOLS_QpqfMXKyq8OvlyFcGn0GBXj67BDBoaD8fAb" https://acme.snowflakecomputing.com/api/v2/statements
curl https://api.openai.com/v1/organization/users -H "Authorization: Bearer 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"
curl https://api.anthropic.com/v1/organizations/api_keys -H "x-api-key: sk-ant-admin01-fFYvq6De9095cg0VH1HONWUz6olXIONBGod0i2bzAH9WvMe4QSEATyOL8eFf39aXwsEps8mvqKMc4zD9ZVMrIProt8HbYAA"
curl -H "Authorization: Zoho-oauthtoken 1000.e1ce123acce04641584ac9a5a3b465fa.cd968e7cffebcb2364d9c26da6a8c842" https://www.zohoapis.com/crm/v2/Leads
curl -H "Authorization: Bearer ${OPENAI_API_KEY}" https://api.openai.com/v1/models
curl -H "DD-API-KEY: $DD_API_KEY" https://api.datadoghq.com/api/v1/validate
echo "deployed 98df7f6202de6b98a283f22e2de3b7dadc5b4e93"
