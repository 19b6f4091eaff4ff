package members

var fixtures = []Member{
	{Name: "Anan Wongsa", CitizenID: "1-1386-62123-00-4", Phone: "+66 97 577 8087", DOB: "2536-03-23"},
	{Name: "Anan Wongsa", CitizenID: "5-4034-70109-27-1", Phone: "053 498 778", DOB: "2504-05-26"},
	{Name: "Suda Srisuk", CitizenID: "5-8335-72900-34-8", Phone: "+66 99 085 7535", DOB: "2496-12-17"},
	{Name: "Suda Srisuk", CitizenID: "3952788999891", Phone: "+66 53 063 014", DOB: "15/12/2491"},
	{Name: "Pranee Thongdee", CitizenID: "2120373316882", Phone: "080 920 6888", DOB: "2495-11-20"},
	{Name: "Somchai Jaidee", CitizenID: "5-3063-50399-65-8", Phone: "053 355 177", DOB: "2528-01-16"},
	{Name: "Anan Wongsa", CitizenID: "3-9016-48452-15-5", Phone: "087 297 9403", DOB: "2546-05-18"},
	{Name: "Suda Srisuk", CitizenID: "1209585374117", Phone: "029970852", DOB: "2521-06-20"},
}
