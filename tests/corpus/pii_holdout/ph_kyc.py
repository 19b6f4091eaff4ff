KYC_FIXTURES = [
    {"philsys_pcn": "5725481748590531", "philsys_psn": "316976157501"},
    {"philsys_pcn": "3161 2362 6877 9786", "philsys_psn": "469986110074"},
    {"philsys_pcn": "8167 0591 1193 5073", "philsys_psn": "090396596727"},
    {"philsys_pcn": "6264 8016 6836 6428", "philsys_psn": "852119206207"},
    {"philsys_pcn": "9964 0663 0477 4743", "philsys_psn": "825802398584"},
    {"philsys_pcn": "2512375566315728", "philsys_psn": "374513221705"},
]
