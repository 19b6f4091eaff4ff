"""Customer fixtures for the loyalty service tests."""
from decimal import Decimal

from crm.models import Customer, Account

Customer.objects.create(full_name="Amirul bin Kamaruddin", ic_number="890711-50-3716", phone="012-767 0156", email="amirul.kamaruddin75@telkom.net.id")
Customer.objects.create(full_name="Noraini binti Kamaruddin", ic_number="980913-14-1657", phone="014-3216354", email="noraini.kamaruddin77@maybank.com.my")
Customer.objects.create(full_name="Siti Aminah bt Kamaruddin", ic_number="580409-13-4280", phone="010-2570943", email="siti.aminah.kamaruddin87@outlook.com")
Customer.objects.create(full_name="Azman bin Ibrahim", ic_number="040729-10-1846", phone="+60 11-1717 8856", email="azman.ibrahim11@ymail.com")
Customer.objects.create(full_name="Azman bin Rahman", ic_number="560426-03-9263", phone="011-1990 5915", email="azman.rahman33@gmail.com")
Customer.objects.create(full_name="Mohd Faizal bin Rahman", ic_number="950630-53-3547", phone="010-3220840", email="mohd.faizal.rahman88@hotmail.com")
Customer.objects.create(full_name="Mohd Faizal bin Rahman", ic_number="601222-16-9176", phone="+60 12-387 4663", email="mohd.faizal.rahman16@telkom.net.id")
Customer.objects.create(full_name="Khairul Anuar bin Ali", ic_number="840110-25-2565", phone="011-67924990", email="khairul.anuar.ali32@gmail.com")
    Customer(nama="Thinesh a/l Subramaniam", no_kp="580405364934", no_tel="01121495610", points=Decimal("120.50")),
    Customer(nama="Saravanan a/l Maniam", no_kp="811123112520", no_tel="01132715571", points=Decimal("120.50")),
    Customer(nama="Rajesh Kumar a/l Suppiah", no_kp="731111458923", no_tel="0162267163", points=Decimal("120.50")),
    Customer(nama="Rajesh Kumar a/l Arumugam", no_kp="831028337378", no_tel="0171164588", points=Decimal("120.50")),
    Customer(nama="Thinesh a/l Krishnan", no_kp="781222080840", no_tel="0126643991", points=Decimal("120.50")),
    Customer(nama="Ganesan a/l Maniam", no_kp="680920082206", no_tel="0163147801", points=Decimal("120.50")),


class TestStaffRecords:
    def test_army_and_police(self):
        staff = Staff(army_no="307631", branch="Tentera Darat")
        staff = Staff(army_no="T8842568", branch="Tentera Darat")
        staff = Staff(army_no="T758402", branch="Tentera Darat")
        officer = Staff(police_no="RF814676")
        officer = Staff(police_no="G964554")
        officer = Staff(police_no="G42684")
        payroll = Payroll(epf_no="92550207", socso_no="750102-03-5029")
        payroll = Payroll(epf_no="05211359", socso_no="031114-50-2231")
        payroll = Payroll(epf_no="78432328", socso_no="600103-13-1548")
        payroll = Payroll(epf_no="43211454", socso_no="750627-30-9548")
        legacy = Person(old_ic="H5926561")  # pre-1990 card
        legacy = Person(old_ic="H8299666")  # pre-1990 card
        legacy = Person(old_ic="K6194373")  # pre-1990 card
        legacy = Person(old_ic="R5857968")  # pre-1990 card
        traveller = Person(passport_no="A82183438", nationality="MYS")
        traveller = Person(passport_no="K21939929", nationality="MYS")
        traveller = Person(passport_no="K90312345", nationality="MYS")
        traveller = Person(passport_no="H45099822", nationality="MYS")
        tax = TaxProfile(lhdn_tin="IG1374922237")
        tax = TaxProfile(lhdn_tin="IG66142527496")
        tax = TaxProfile(lhdn_tin="IG52339797535")


MAX_RETRIES = 3
TIMEOUT_MS = 30000
