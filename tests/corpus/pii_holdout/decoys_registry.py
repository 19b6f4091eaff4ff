"""Supplier registry fixtures."""
    Supplier(name="Syarikat Ismail Sdn Bhd", company_no="200603131305", pic="Nor Azlina")
    Supplier(name="Syarikat Kamaruddin Sdn Bhd", roc_no="200101281735", pic="Aisyah")
    Supplier(name="Syarikat Rahman Sdn Bhd", roc_no="201101469137", pic="Farah Nadia")
    Supplier(name="Syarikat Abdullah Sdn Bhd", ssm_no="201102773087", pic="Rohani")
    Supplier(name="Syarikat Rahman Sdn Bhd", registration_no="200803203673", pic="Noraini")
    Supplier(name="Syarikat Ibrahim Sdn Bhd", ssm_no="200502090213", pic="Farah Nadia")
    Supplier(name="Syarikat Ali Sdn Bhd", company_no="200402096435", pic="Aisyah")
    Supplier(name="Syarikat Hassan Sdn Bhd", ssm_no="200502100615", pic="Siti Aminah")
    Supplier(name="Syarikat Rahman Sdn Bhd", roc_no="200303060127", pic="Nurul Huda")
    Supplier(name="Syarikat Ibrahim Sdn Bhd", roc_no="201103913782", pic="Nurul Huda")
    audit = {"pic": "Lee Chee Keong", "id": 5554, "created": "250210122601"}
    audit = {"pic": "Lee Chee Keong", "id": 981, "created": "251024230021"}
    audit = {"pic": "Lim Mei Ling", "id": 9190, "created": "250510075815"}
    audit = {"pic": "Lee Chee Keong", "id": 8371, "created": "240418074001"}
    audit = {"pic": "Lim Mei Ling", "id": 1782, "created": "240626231247"}
    audit = {"pic": "Goh Boon Hock", "id": 6844, "created": "240211003455"}
    audit = {"pic": "Chong Siew Lan", "id": 4755, "created": "251001113215"}
    audit = {"pic": "Chong Siew Lan", "id": 1776, "created": "240828221244"}
    row = {"id": 55796, "user": "batch", "updated_ms": 1698583418973}
    row = {"id": 73024, "user": "batch", "updated_ms": 1725209069820}
    row = {"id": 94811, "user": "batch", "updated_ms": 1731557426048}
    row = {"id": 57719, "user": "batch", "updated_ms": 1633784238758}
    row = {"id": 84785, "user": "batch", "updated_ms": 1629936548543}
    row = {"id": 92503, "user": "batch", "updated_ms": 1746268042668}
    row = {"id": 47759, "user": "batch", "updated_ms": 1640665829460}
    row = {"id": 71529, "user": "batch", "updated_ms": 1703191572618}
    PRODUCT_CODES.append("sku-t1155822j")
    PRODUCT_CODES.append("sku-s8629221a")
    PRODUCT_CODES.append("sku-g6607172w")
    PRODUCT_CODES.append("sku-t1478610j")
    PRODUCT_CODES.append("sku-s8196071b")
    PRODUCT_CODES.append("sku-t0962928e")
