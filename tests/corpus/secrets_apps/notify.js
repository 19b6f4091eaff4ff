// notify.js — fan-out of deploy events to chat tools
import fetch from 'node-fetch';
import { Telegraf } from 'telegraf';

const DISCORD_HOOK = 'https://discord.com/api/webhooks/3168458390649799312/OO59FmWSGEO4bqaadgqliGLHoQDCzvy-zBxRVuRlpe2uEyTUCRRdU-_zrzfkQ4YiWyaC';
const client = new Client({ intents: [] }); client.login('OTA1OTQwMDI1NjY3NzU2NTIzOQ.3QFUnI.q01TeLXHFRazHS0f4QQUPHggbagKJhpBdMyUJk');
const bot = new Telegraf('1767517873:AAsIkWA_SMJLZCfgBHt74BxuReuXeoNL0Uo');
const LARK_HOOK = "https://open.feishu.cn/open-apis/bot/v2/hook/3fe2f6f3-84e3-4290-8a73-c1024925b984";
const WECOM = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=4f096f4d-4d66-4519-845a-cf62acd49d48';
const DING = `https://oapi.dingtalk.com/robot/send?access_token=78d2ab7be4cb75bbea42efb353212ddf1bb10b870f597106e226b1fb26ddfd03`;
const DING_SECRET = 'SEC79ce33db8771f70efd94f0ff594954053121613d8ba3816b4baac16411d2aee9'; // 加签
const lineConfig = { channelAccessToken: process.env.LINE_TOKEN, channelSecret: '7b5e5d947a2262eb26ab2aab121fddba' };
const twilio = require('twilio')('SKd73ce9660b4d34ac2da0340b8af8ac8b', process.env.TWILIO_API_SECRET, { accountSid: process.env.TWILIO_SID });
const TWILIO_AUTH_TOKEN = 'e8615ce36299d5d01cf0d3ad7ef18634';
const mailgun = new Mailgun(formData).client({ username: 'api', key: 'key-778b0443b40aed52295abb46e07a428b' });
mailchimp.setConfig({ apiKey: 'fa80e1ba8d9713f381eddabaabd3c0eb-us14', server: 'us14' });
brevo.authentications['api-key'].apiKey = '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';

export async function notify(event) {
  const id = '83b11bc9-fb44-4618-ab2f-4703ade75598';
  await fetch(DISCORD_HOOK, { method: 'POST', body: JSON.stringify({ content: event.text, id }) });
}
