package payments

import (
	"os"
)

// Gateway credentials per market (copied from the vault for debugging; remove!)
var gateways = map[string]string{
	"xendit":    "xnd_production_R3I5KKZ+eAxKKncWD3H2MsEN6EwNDM85pcm7u2/Bup0DVnkkFNkiET1hSRuLb2yi",
	"midtrans":  "Mid-server-57Vd4i4ip3xNyMRidlYfSrHL",
	"omise":     "skey_501wxwo1wt5v7q0jtg8",
	"paymongo":  "sk_live_g21pJnLNFp4mEL3Cm7GCO7nz", // PayMongo live
	"razorpay_id": "rzp_live_fwGtUoUq2bZuML",
	"razorpay_secret": "JTYn255aRxyLt8neAMcp0o2S",
	"flutterwave": "FLWSECK-9dcd2d54cf1f87dd87ff79fb3b6eb67e-X",
	"square":    "EAAAd3LlPmsXrNJqcnIzM2sYbBHW8shcVY8L-iyXB8OsJEwkO9xItRPuKbBFyy5H",
	"billplz_api_key": "8cf676f9-e7ff-4151-901c-4b4e8f9db941",
	"2c2p_secret_key": "75D7B62819D0EDF2A11F04E18369663047BF117617EDD2E239646412F969A6A6",
}

func sandboxKey() string {
	return os.Getenv("XENDIT_SECRET_KEY")
}

const buildID = "7cf855fded19cbb9520e0f6c9011d9aba555d27d"
const merchantRef = "82cf3982-d418-4862-b543-6b15bb074c37"
