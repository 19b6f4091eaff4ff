# contact formats seen in exported CRM data
CONTACTS.append({"region": "MY", "phone": "(+60) 11-2334 5609"})
CONTACTS.append({"region": "SG", "phone": "(+65) 9630 3560"})
CONTACTS.append({"region": "TH", "phone": "(+66) 65 056 2176"})
CONTACTS.append({"region": "ID", "phone": "(+62) 812-1116-5374"})
CONTACTS.append({"region": "PH", "phone": "(+63) 998 933 2841"})
CONTACTS.append({"region": "VN", "phone": "(+84) 352 518 464"})
CONTACTS.append({"region": "MY", "phone": "6011-27919482"})
CONTACTS.append({"region": "MY", "phone": "6016-7283406"})
CONTACTS.append({"region": "MY", "phone": "6011-20115822"})
CONTACTS.append({"region": "PH", "landline": "+63 2 8094 2139"})
CONTACTS.append({"region": "PH", "landline": "+63 2 8371 8920"})

# dates of birth as people type them
profile_zh = {"姓名": "Chong Siew Lan", "出生日期": "1974年8月25日"}
profile_zh = {"姓名": "Chong Siew Lan", "出生日期": "1957年8月20日"}
profile_zh = {"姓名": "Goh Boon Hock", "出生日期": "1977年10月16日"}
# Tarikh lahir: 26hb Disember 1989
# Tarikh lahir: 26hb Februari 1957
# Tarikh lahir: 13hb September 1989
ghi_chu = "Sinh ngày 12 tháng 1 năm 1969 tại Hà Nội"
ghi_chu = "Sinh ngày 24 tháng 7 năm 1954 tại Hà Nội"
ghi_chu = "Sinh ngày 9 tháng 2 năm 1972 tại Hà Nội"

# semicolon CSV pasted from Excel (Indonesian locale)
ROWS.append("Nama Lengkap;NIK;No. HP\nSri Wahyuni;7371056009840538;0812-5475-6285")
ROWS.append("Nama Lengkap;NIK;No. HP\nRina Kartika;3273012308950122;0812-2748-3533")
ROWS.append("Nama Lengkap;NIK;No. HP\nDewi Lestari;3204011301650257;0812-1142-1185")
