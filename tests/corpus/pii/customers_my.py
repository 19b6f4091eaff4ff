"""Customer onboarding fixtures (Malaysia)."""

CUSTOMERS = [
    {"name": "Khairul Anuar bin Kamal", "ic_no": "700112-05-9986", "phone": "019-987 9730", "email": "wei.ming.huda15@fpt.com.vn"},
    {"name": "Farah Nabila binti Abdullah", "ic_no": "780311-43-3645", "phone": "014-681 5188", "email": "dewi.lestari59@hotmail.com"},
    {"name": "Zarina binti Osman", "ic_no": "770921-82-0557", "phone": "016-169 8716", "email": "mei.ling.ong63@hotmail.co.th"},
    {"name": "Nur Aisyah binti Rahman", "ic_no": "000807-16-7880", "phone": "017-320 8196", "email": "farid.kokwing62@outlook.com"},
    {"name": "Siti Aminah binti Osman", "ic_no": "920211-21-8486", "phone": "014-400 2978", "email": "farid.thihoa26@fpt.com.vn"},
    {"name": "Farah Nabila binti Kamal", "ic_no": "881215-43-8045", "phone": "016-178 4726", "email": "farid.huda84@fpt.com.vn"},
    {"name": "Nur Aisyah binti Abdullah", "ic_no": "861125-08-2701", "phone": "012-798 1933", "email": "tan.ong6@singnet.com.sg"},
    {"name": "Zarina binti Rahman", "ic_no": "631120-14-0599", "phone": "019-728 3792", "email": "wei.ming.chong38@yahoo.com.my"},
    {"name": "Priya d/o Nair", "nric": "620222079486", "no_tel": "0162836016"},
    {"name": "Muthu Kumar a/l Ramasamy", "nric": "810218025008", "no_tel": "0165475177"},
    {"name": "Suresh a/l Subramaniam", "nric": "650426982983", "no_tel": "0169579318"},
    {"name": "Priya d/o Nair", "nric": "670716022080", "no_tel": "0163702838"},
]

passport_no = "A22264686"
old_ic = "K2642524"
lhdn_tin = "IG87647258771"
epf_no = "98413301"
army_no = "8568205"
company_no = "202302589831"  # SSM
office_tel = "03-7489 3949"
alamat = "86 Lorong Kenari 18, Taman Kenari, 08000 Sungai Petani, Kedah"
tarikh_lahir = "24/11/1961"
passport_no = "A14162105"
old_ic = "K3185491"
lhdn_tin = "IG55244106460"
epf_no = "11304118"
army_no = "6579906"
company_no = "201502976158"  # SSM
office_tel = "03-8464 5060"
alamat = "89 Lorong Kenari 11, Taman Kenari, 08000 Sungai Petani, Kedah"
tarikh_lahir = "24/12/1975"
passport_no = "A14659085"
old_ic = "K4801291"
lhdn_tin = "IG20285940692"
epf_no = "66663632"
army_no = "3808864"
company_no = "202202300487"  # SSM
office_tel = "03-6452 9128"
alamat = "No. 84, Jalan SS 2/28, Taman Bahagia, 47300 Petaling Jaya, Selangor"
tarikh_lahir = "13/02/1996"

def test_lookup(client):
    resp = client.get("/api/customers", params={"mykad": "800726118500"})
    resp = client.get("/api/customers", params={"mykad": "920319100382"})
    resp = client.get("/api/customers", params={"mykad": "820417153845"})
    resp = client.get("/api/customers", params={"mykad": "830815085778"})
