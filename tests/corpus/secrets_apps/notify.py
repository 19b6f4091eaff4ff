"""Chat and SMS fan-out used by the on-call bot."""
import os
import requests

MATTERMOST_WEBHOOK = "https://chat.acme.io/hooks/oobi9s32ba2gkoci2cne1upzpd"
ROCKETCHAT_WEBHOOK = "https://rocket.acme.io/hooks/oDSJMwKIoLDFsM9cc/C4d5zDO5f8Nyo2GQ4wG4uXKPS3hVtK5MHHEnMLPpmiHLrHpO"
ZULIP_API_KEY = 'ZxUznzqgcSscWevEv6SbCk64930Xg64x'
LINE_CHANNEL_ACCESS_TOKEN = '02wIq3c7VErYzi1xjwiatqRzyw4T1N7VzxYoJA1j+NFJ4uOnCu7kE89KGkOS+tHuybydmO9T/KZ7TnZt9FgoHafCzvMqRQ1Rm9A1HAImLz/M133z25a7LYsyZm+2I9TD6UIJ9omIJzJfhKar/2ehLMuBf3XmP9aKrzFusLI1QvM='
telnyx.api_key = 'KEY7A32BDDFE6E48CFE128BF73DC8ABD1E2_Opj8INzwQKcWMF6G5P86tH'
PLIVO_AUTH_TOKEN = 'rgGqDGBD14yTBnwKRznoRgAmiLXscwTYcauuVHkq'
pusher_secret='3c16cafb2d9e7816b48a'
ABLY_API_KEY = 'X71c2t.PuS1Da:tPR7gExo2qOE1QHROyoGZ4vLONy1ekndzUdYowhvxA3'
INTERCOM_TOKEN = 'dG9rOmM2YjljMjBhLWUyNTEtNDhmZC04ZWY2LWZkM2VkMDkxZjdmMToxOjA='
POSTMARK_SERVER_TOKEN = 'f9dda1ba-f260-420d-a77e-e59b63f333c6'
MAILERSEND_API_KEY = 'mlsn.8ac575566ab7e3f68719640380c0ab16760b9d08ce1d5dad84b5ab6f428e7d1c'
ONESIGNAL_REST_API_KEY = 'os_v2_app_rpxaaybdq2pgligej77pdqabciezrumb3t7pfkhh46ctljdch4nvnnoqvsrdfduibbzxz7zayikxisup3xczjkbiiok77zvzpsi4mrlznbcxtbdlw'
GCHAT = 'https://chat.googleapis.com/v1/spaces/AAQAz26-p2v/messages?key=AIzaSySb3QFUnIq01TeLXHFRazHS0f4QQUPHggb&token=agKJhpBdMyUJkG9z6uN94ZsIkWA_SMJLZCfgBHt74Bx'
AT_API_KEY = 'atsk_b47b57a32d5a9709978d2ab7be4cb75bbea42efb353212ddf1bb10b870f59710'
PUBNUB_SECRET_KEY = 'sec-c-o6o8pM8dE7EMWhgCu4gmxipfpqXFMxbbeshhaA2HqmPvkkT6'

def page(text: str) -> None:
    requests.post(MATTERMOST_WEBHOOK, json={'text': text}, timeout=5)
    # ticket b207dd3e-d0be-4070-b69e-75426420fd70
