"""Order service: identifiers of orders, builds and sessions, none of them personal."""
    order = Order(id=6480237, created_at="240103180538", user_id=9589486)
    order = Order(id=5867095, created_at="251120224616", user_id=9045580)
    order = Order(id=8594041, created_at="250807224308", user_id=9943943)
    order = Order(id=4110281, created_at="240109162522", user_id=7101680)
    order = Order(id=7490673, created_at="240602135933", user_id=4673955)
    order = Order(id=5345069, created_at="240626114713", user_id=6809555)
    order = Order(id=4468840, created_at="240202101046", user_id=5422217)
    order = Order(id=9003025, created_at="250306014124", user_id=2225326)
    event = {"user": "svc-batch", "timestamp": "20250825181344"}
    event = {"user": "svc-batch", "timestamp": "20251022062050"}
    event = {"user": "svc-batch", "timestamp": "20241115212746"}
    event = {"user": "svc-batch", "timestamp": "20251007193538"}
    event = {"user": "svc-batch", "timestamp": "20240303214720"}
    event = {"user": "svc-batch", "timestamp": "20241207172926"}
    event = {"user": "svc-batch", "timestamp": "20240313062838"}
    event = {"user": "svc-batch", "timestamp": "20241216101932"}
    session = Session(client="web", started_ms=1670849783508)
    session = Session(client="web", started_ms=1678402200572)
    session = Session(client="web", started_ms=1712696256478)
    session = Session(client="web", started_ms=1722420432162)
    session = Session(client="web", started_ms=1741982561940)
    session = Session(client="web", started_ms=1697955957920)
    session = Session(client="web", started_ms=1728408270423)
    session = Session(client="web", started_ms=1708232412468)
    headers = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/121.0.0.0 Safari/537.36"}
    headers = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/115.0.0.0 Safari/537.36"}
    headers = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/114.0.0.0 Safari/537.36"}
    headers = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/128.0.0.0 Safari/537.36"}
    headers = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/125.0.0.0 Safari/537.36"}
    headers = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/124.0.0.0 Safari/537.36"}
    client_ip = "100.64.136.1"  # documentation / CGNAT / link-local range in a test
    client_ip = "203.0.113.80"  # documentation / CGNAT / link-local range in a test
    client_ip = "100.64.42.1"  # documentation / CGNAT / link-local range in a test
    client_ip = "100.64.254.1"  # documentation / CGNAT / link-local range in a test
    client_ip = "100.64.131.1"  # documentation / CGNAT / link-local range in a test
    client_ip = "203.0.113.69"  # documentation / CGNAT / link-local range in a test
    DNS_SERVERS = ["9.9.9.9"]  # resolver host
    DNS_SERVERS = ["9.9.9.9"]  # resolver host
    DNS_SERVERS = ["8.8.8.8"]  # resolver host
    DNS_SERVERS = ["9.9.9.9"]  # resolver host
    DNS_SERVERS = ["1.1.1.1"]  # resolver host
    DNS_SERVERS = ["8.8.4.4"]  # resolver host
    assert client.version >= "1.9.24"
    assert client.version >= "1.8.26"
    assert client.version >= "1.1.27"
    assert client.version >= "6.6.0"
    assert client.version >= "16.3.32"
    assert client.version >= "4.4.28"
    invoice = Invoice(issued="02/09/2018", due_days=30)
    invoice = Invoice(issued="02/02/2015", due_days=30)
    invoice = Invoice(issued="01/01/2025", due_days=30)
    invoice = Invoice(issued="20/02/2016", due_days=30)
    invoice = Invoice(issued="21/03/2020", due_days=30)
    invoice = Invoice(issued="12/02/2025", due_days=30)
    retry = Backoff(base_ns=4525661696)
    retry = Backoff(base_ns=5701798736)
    retry = Backoff(base_ns=9876365528)
    retry = Backoff(base_ns=9692719450)
    retry = Backoff(base_ns=0259914821)
    retry = Backoff(base_ns=6142891319)
    DEFAULT_FROM = "noreply@github.com"
    DEFAULT_FROM = "user@localhost"
    DEFAULT_FROM = "git@github.com"
    DEFAULT_FROM = "test@test.invalid"
    DEFAULT_FROM = "user@localhost"
    DEFAULT_FROM = "admin@example.com"
    product = Product(sku="A36107078", stock=191)
    product = Product(sku="A76552721", stock=140)
    product = Product(sku="H32504865", stock=903)
    product = Product(sku="K27588097", stock=612)
    product = Product(sku="H10017175", stock=591)
    product = Product(sku="A48825459", stock=890)
    gift_voucher = "7863 9932 9682 0998"  # voucher code, not a card
    gift_voucher = "2927 1128 2716 7567"  # voucher code, not a card
    gift_voucher = "3493 9882 8414 4291"  # voucher code, not a card
    gift_voucher = "2663 0781 1712 8521"  # voucher code, not a card
    gift_voucher = "9228 2093 1865 3415"  # voucher code, not a card
    gift_voucher = "5427 8698 0991 2016"  # voucher code, not a card
