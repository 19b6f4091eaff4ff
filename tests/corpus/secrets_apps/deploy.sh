#!/usr/bin/env bash
set -euo pipefail
: "${DEPLOY_ENV:?}"

curl -s -u "$CH_KEY_ID:4b1dLw0zf7Xvwfs16KoV7tXRpf63yWfv1wiEQikb3P" https://api.clickhouse.cloud/v1/organizations
curl -H "Authorization: Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJBQ01FLlNWQ19FVEwuU0hBMjU2Om5LdFhHeXduKzk5WXBWdW1COURQOGhzdVZJalZWZDE5VGxHMEt0dVlaTzA9Iiwic3ViIjoiQUNNRS5TVkNfRVRMIiwiaWF0IjoxNzMyMDAwMDAwfQ.1oSOUL3LdQ1p1GkIbHh2tI8Q37k3DltqdSvHLY2sUsR" https://acme.snowflakecomputing.com/api/v2/statements
curl https://api.openai.com/v1/organization/users -H "Authorization: Bearer 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"
curl https://api.anthropic.com/v1/organizations/api_keys -H "x-api-key: sk-ant-admin01-77883M2AHRWPiyh4HlCE4iGt3D5vCpnBGo-_xI_yDaoUeJ77-5wwnjiogJ4cv1smtyqIG5jj48aDwpVMAwBZDOeWrs7X3AA"
curl -H "Authorization: Zoho-oauthtoken 1000.7e022c89bc29530802d150502ff49d42.087783ed9eb1e4349a7b7264dcbe383f" https://www.zohoapis.com/crm/v2/Leads
curl -H "Authorization: Bearer ${OPENAI_API_KEY}" https://api.openai.com/v1/models
curl -H "DD-API-KEY: $DD_API_KEY" https://api.datadoghq.com/api/v1/validate
echo "deployed 1223fd525399cf584b396fa1bda26c81c7886642"
