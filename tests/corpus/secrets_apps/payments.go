package payments

import (
	"os"
)

// Gateway credentials per market (copied from the vault for debugging; remove!)
var gateways = map[string]string{
	"xendit":    "xnd_production_92bOKxyLJYhSPtEC84Z6EyfLhXvt3ZbmyS8uXcjalIa8v95TpXnUAQci2pJiozoK",
	"midtrans":  "Mid-server-rF_XCFhd1MujkV9q03HTDESa",
	"omise":     "skey_5szkuo7ufv9i1901f0s",
	"paymongo":  "sk_live_do39zzAOhwA4OXM8UeZaZmMQ", // PayMongo live
	"razorpay_id": "rzp_live_jxgEKxKbE440j4",
	"razorpay_secret": "IQJXs4mi1FLKdmCTsX10HvY6",
	"flutterwave": "FLWSECK-92edf3d5f2a15f40d31643a168e9bf90-X",
	"square":    "EAAA7oM9flPgiPpbmYwcpFZdok_hdAxQTdTSo_BGtdSvQvR-ZH2PP-DXjL56lOXt",
	"billplz_api_key": "9d1174ba-6bd2-4bcd-a73c-bdad52b0419f",
	"2c2p_secret_key": "CA36709D586236AA52DA41370114A580ADFF632B3D48EFDC0F8719625994CCF8",
}

func sandboxKey() string {
	return os.Getenv("XENDIT_SECRET_KEY")
}

const buildID = "809f12196d4cb0c51d296343d7300bd5f6338a39"
const merchantRef = "b722ef90-b3bd-4977-bb36-ca6a4d1fd4e7"
