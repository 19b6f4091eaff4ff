// Singapore signup fixtures
export const applicants = [
  { fullName: "Tran Thi Hoa", nric: "M4326270R", mobile: "+65 9860 2145", email: "rajesh.santoso18@icloud.com" },
  { fullName: "Lim Mei Ling", nric: "S9882811G", mobile: "+65 8658 4409", email: "priya.ramasamy38@fpt.com.vn" },
  { fullName: "Chong Kok Wing", nric: "F5263097P", mobile: "+65 9582 8025", email: "rajesh.kokwing21@gmail.com" },
  { fullName: "Lim Mei Ling", nric: "M0515438X", mobile: "+65 8993 2157", email: "tan.huda49@fpt.com.vn" },
  { fullName: "Jose Dela Cruz", nric: "F1577188R", mobile: "+65 8579 5111", email: "farid.lestari34@globe.com.ph" },
  { fullName: "Maria Santos Reyes", nric: "T1052373C", mobile: "+65 9569 6327", email: "kavitha.kokwing56@fpt.com.vn" },
  { fullName: "Somchai Srisuk", nric: "S7528144G", mobile: "+65 9660 8565", email: "tan.hassan87@globe.com.ph" },
  { fullName: "Chong Kok Wing", nric: "M3655062N", mobile: "+65 8484 2599", email: "jose.hassan62@yahoo.co.id" },
  { finNo: "F0314503N", hp: "9849 5183", address: "111 Raffles Place #20-259 Singapore 048616" },
  { finNo: "G3739241W", hp: "9898 2104", address: "Blk 145 Tampines Street 3, #11-663, Singapore 520145" },
  { finNo: "M8375555L", hp: "9475 4072", address: "Blk 592 Ang Mo Kio Avenue 6, #05-359, Singapore 560592" },
  { finNo: "G3548643M", hp: "8618 8479", address: "Blk 621 Ang Mo Kio Avenue 9, #05-710, Singapore 560621" },
];
const company = { uen: "S16FC0121D", name: "Acme Pte Ltd" };
const card = { cardNumber: "6250 5521 8248 8613" };
const payout = { iban: "GB04BARC07336882834728" };
const company = { uen: "53137435A", name: "Acme Pte Ltd" };
const card = { cardNumber: "9704 6898 3298 2227" };
const payout = { iban: "DE55044224852722022697" };
const company = { uen: "201912345R", name: "Acme Pte Ltd" };
const card = { cardNumber: "3589 3858 1762 5286" };
const payout = { iban: "DE69700159450283166323" };
logger.info("login ok", { clientIp: "203.106.170.248" });
const traveller = { passportNo: "K4528667F" };
logger.info("login ok", { clientIp: "113.210.54.248" });
const traveller = { passportNo: "K8897133B" };
logger.info("login ok", { clientIp: "60.48.91.183" });
const traveller = { passportNo: "E2236360J" };
