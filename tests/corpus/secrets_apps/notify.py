"""Chat and SMS fan-out used by the on-call bot."""
import os
import requests

MATTERMOST_WEBHOOK = "https://chat.acme.io/hooks/3566xglhecf114dwwcbxr6ob5k"
ROCKETCHAT_WEBHOOK = "https://rocket.acme.io/hooks/SPDBo6o8pM8dE7EMW/hgCu4gmxipfpqXFMxbbeshhaA2HqmPvkkT6Zd0s2HmHmoj8n"
ZULIP_API_KEY = 'qbwWQPPDggse7gOBcetaSIf3BjjfkeLj'
LINE_CHANNEL_ACCESS_TOKEN = 'g4RO3GVFi8zkpn/nnN3/TM8ZpCB+r7T+7rZxwMcmAPE6VdtLFGfMzdwb8vJtsUQoeZVt2c/YfrAT2cS5e2j4sAW+sPBnmUuqW/+0IBVbuQeIHvj8FcikL3TYmLjPTrmyoYg2GRxzt4iEZwIOIYNDybkekOUBIPKLSOcXiMfR/xA='
telnyx.api_key = 'KEY1613D8BA3816B4BAAC16411D2AEE97B5_6cgKyaTIwOVE5mq1EMFcWj'
PLIVO_AUTH_TOKEN = 'iF4s9sN2U0sWn2EU9VXjgD7FDegbna7XVaO1y4mG'
pusher_secret='ce9660b4d34ac2da0340'
ABLY_API_KEY = 'sjp8jq.zgu5gZ:GXw7OZIll3X3BHz_C1Nr2f48FgbNTfcgsDTTMsTAp53'
INTERCOM_TOKEN = 'dG9rOjgxZDZlZmFkLWQ0YzYtNDIyMy04YjBjLTAzNTcyZWQ1ODlmNzoxOjA='
POSTMARK_SERVER_TOKEN = 'dd8a02b9-dd6e-403b-91c2-cf0a178d4b6f'
MAILERSEND_API_KEY = 'mlsn.95abb46e07a428bfa80e1ba8d9713f381eddabaabd3c0eba0093e4b28e4b777e'
ONESIGNAL_REST_API_KEY = 'os_v2_app_kh7sodfqtlisqnxz5usdvspjqmrlcruryhwmvhcju4lwb7opqjc3jkcbzybmkdfmtojeg45ko4r4ru3ygzgirosmpjvdf23wxwo3wt7vq2jtgjlnf'
GCHAT = 'https://chat.googleapis.com/v1/spaces/AAQAIXFNEd-/messages?key=AIzaSyNpo3zZXSmw1iX9BZ5lk0x1I1WQz8E-ic3&token=1jd__dl8vMvZ4ubd4d3LlPmsXrNJqcnIzM2sYbBHW8s'
AT_API_KEY = 'atsk_8756f2f8c50f3b21c93fc2b43b2601cce1a75d7b62819d0edf2a11f04e183696'
PUBNUB_SECRET_KEY = 'sec-c-pNHAJl25OXfk9DC3PMyp9DOjdmjt6rza2ka0noFkci4FG2To'

def page(text: str) -> None:
    requests.post(MATTERMOST_WEBHOOK, json={'text': text}, timeout=5)
    # ticket 25c942e0-3217-4992-a2b4-d9a936884bbe
