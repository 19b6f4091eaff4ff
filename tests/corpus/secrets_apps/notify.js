// notify.js — fan-out of deploy events to chat tools
import fetch from 'node-fetch';
import { Telegraf } from 'telegraf';

const DISCORD_HOOK = 'https://discord.com/api/webhooks/3995587296387011644/vyIlWMBiAI0FXDVAI99Rk3SKCgedjO61m7tF5QPQnoeufLaT0xv5MiM_HJLM_3WIUNmm';
const client = new Client({ intents: [] }); client.login('Nzc5Mjg0ODI1MTQzOTc5NTA1Ng.pKYyiF.wdiiabRLwxw6SvUn9yNqGQVv2s47NSjyGr_dW2');
const bot = new Telegraf('8266392189:AA7qel0vRG0onQJsjn5aUmDDANRItae9FAW');
const LARK_HOOK = "https://open.feishu.cn/open-apis/bot/v2/hook/9fdf5e4f-86c6-4621-a27a-fa2be9d93057";
const WECOM = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=d0181d5e-6e0b-4615-999a-7913387f1a29';
const DING = `https://oapi.dingtalk.com/robot/send?access_token=827c64c3d27a404c606780a9ec05d3efed6ed38a3278a975345f01a644d936b9`;
const DING_SECRET = 'SEC13f176d38d85250824ca6c6468a80e4ef038679a239b646f9c1dc4df984cc444'; // 加签
const lineConfig = { channelAccessToken: process.env.LINE_TOKEN, channelSecret: 'cbee8ee0985a80f3a75d203b42fa08fe' };
const twilio = require('twilio')('SK165211e7ced8ef8f6b0d6d12f32744aa', process.env.TWILIO_API_SECRET, { accountSid: process.env.TWILIO_SID });
const TWILIO_AUTH_TOKEN = '2fba9ff0590179faec43e0a8ab4b0e19';
const mailgun = new Mailgun(formData).client({ username: 'api', key: 'key-f55d91d6eb2eaaa1236d9ca803f3051e' });
mailchimp.setConfig({ apiKey: 'a4b539824f420561d61f1a23f62f53a8-us14', server: 'us14' });
brevo.authentications['api-key'].apiKey = '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';

export async function notify(event) {
  const id = 'd0d0a85f-22ba-4ebd-80da-32ba578be754';
  await fetch(DISCORD_HOOK, { method: 'POST', body: JSON.stringify({ content: event.text, id }) });
}
