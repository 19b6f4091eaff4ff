import axios from "axios";

const firebaseConfig = {
  apiKey: "AIzaVTdFP-GWAKrRw2obkpeLBe_O7jtMmoHE_eV",
  authDomain: "acme-shop.firebaseapp.com",
  projectId: "acme-shop",
};

const password: string = process.env.SHOP_PASSWORD ?? "";
const passwordLabel = "Password";
const supabaseServiceRole = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InF3aGJubWxwb2lranV5dHIiLCJyb2xlIjoic2VydmljZV9yb2xlIiwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjIwMDAwMDAwMDB9.5naCFSorn_vOmfZI6MB5zDHpmUN6VNCNLxR4APF2st8";
const supabaseAnon = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InF3aGJubWxwb2lranV5dHIiLCJyb2xlIjoiYW5vbiIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoyMDAwMDAwMDAwfQ.syCygaihQDNGTE4jsNimdVrJW4jeYMpES30ar5es6j4";

export async function listOrders() {
  return axios.get("https://api.acme.internal/orders", {
    headers: { "x-api-key": "DaZVrca0MIIwetAXsuXFHnef9DyHvd7M65RM5WER" },
  });
}
