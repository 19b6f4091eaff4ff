// Billing API client
const axios = require("axios");

const SERVICE_JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtYmlsbGluZyIsImlhdCI6MTc2Mzc2OTYwMH0.uOq_eF7hZYtW65tDc8DlqvC8Ig7r4hY4ou2hV0K4yZ4";
const apiKey = process.env.BILLING_API_KEY; // fine: read from the environment

module.exports = () => axios.create({ headers: { Authorization: `Bearer ${SERVICE_JWT}` } });
