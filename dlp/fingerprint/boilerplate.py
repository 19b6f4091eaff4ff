"""Built-in stop set: k-grams of boilerplate that every code base contains.

Each snippet below is tokenised with the same tokenizer as indexed code and
*every* k-gram hash of it (not only the winnowed ones) goes into the stop set,
so any fingerprint that lies wholly inside such boilerplate is ignored, both
when building the index and when computing a region's share at lookup.
Identifiers and literals are normalised away, so one getter stands for all
getters.  Sequences (several getters in a row, a getter then a setter) are
included because fingerprints span neighbouring members.

Comments (license headers) and import/include/package/using statements never
produce tokens at all, so they need no entry here.
"""
from __future__ import annotations

from functools import lru_cache

from .tokenize import tokenize
from .winnow import K, all_hashes

_PY = {
    "main": 'if __name__ == "__main__":\n    main()\n',
    "main2": 'if __name__ == "__main__":\n    sys.exit(main())\n',
    "main3": 'if __name__ == "__main__":\n    raise SystemExit(main())\n',
    "main4": 'if __name__ == "__main__":\n    unittest.main()\n',
    "init1": "def __init__(self, a):\n    self.a = a\n",
    "init2": "def __init__(self, a, b):\n    self.a = a\n    self.b = b\n",
    "init3": "def __init__(self, a, b, c):\n    self.a = a\n    self.b = b\n    self.c = c\n",
    "init4": "def __init__(self, a, b, c, d):\n    self.a = a\n    self.b = b\n    self.c = c\n    self.d = d\n",
    "super": "def __init__(self, *args, **kwargs):\n    super().__init__(*args, **kwargs)\n",
    "getter": "@property\ndef a(self):\n    return self._a\n",
    "setter": "@a.setter\ndef a(self, value):\n    self._a = value\n",
    "repr": "def __repr__(self):\n    return f'{self.__class__.__name__}({self.a!r})'\n",
    "str": "def __str__(self):\n    return self.a\n",
    "eq": "def __eq__(self, other):\n    return self.a == other.a\n",
    "hash": "def __hash__(self):\n    return hash(self.a)\n",
    "len": "def __len__(self):\n    return len(self.a)\n",
    "iter": "def __iter__(self):\n    return iter(self.a)\n",
    "getattr": "def a(self):\n    return self.a\n",
    "logger": "logger = logging.getLogger(__name__)\n",
    "all": "__all__ = ['a', 'b', 'c', 'd']\n",
    "exc_doc": 'class A(B):\n    """Doc."""\n',
    "exc_pass": "class A(B):\n    pass\n",
    "exc_init": "class A(B):\n    def __init__(self, a):\n        super().__init__(a)\n        self.a = a\n",
}
_JAVA = {
    "getter": "public String getA() {\n    return a;\n}\n",
    "getter2": "public String getA() {\n    return this.a;\n}\n",
    "setter": "public void setA(String a) {\n    this.a = a;\n}\n",
    "ctor1": "public A(String a) {\n    this.a = a;\n}\n",
    "ctor2": "public A(String a, String b) {\n    this.a = a;\n    this.b = b;\n}\n",
    "ctor3": "public A(String a, String b, String c) {\n    this.a = a;\n    this.b = b;\n    this.c = c;\n}\n",
    "main": "public static void main(String[] args) {\n    SpringApplication.run(A.class, args);\n}\n",
    "field": "private final String a;\nprivate final String b;\nprivate final String c;\n",
    "field2": "private String a;\nprivate String b;\nprivate String c;\n",
    "tostring": '@Override\npublic String toString() {\n    return "A{" + "a=" + a + ", b=" + b + "}";\n}\n',
    "hashcode": "@Override\npublic int hashCode() {\n    return Objects.hash(a, b);\n}\n",
    "equals": (
        "@Override\npublic boolean equals(Object o) {\n    if (this == o) return true;\n"
        "    if (o == null || getClass() != o.getClass()) return false;\n    A that = (A) o;\n"
        "    return Objects.equals(a, that.a) && Objects.equals(b, that.b);\n}\n"
    ),
    "logger": "private static final Logger LOG = LoggerFactory.getLogger(A.class);\n",
    "exc": "public class A extends B {\n    public A(String a) {\n        super(a);\n    }\n}\n",
}
_CSHARP = {
    "auto": "public string A { get; set; }\npublic int B { get; set; }\npublic string C { get; private set; }\n",
    "prop": "public string A\n{\n    get { return a; }\n    set { a = value; }\n}\n",
    "ctor": "public A(string a, string b)\n{\n    this.a = a;\n    this.b = b;\n}\n",
    "main": "static void Main(string[] args)\n{\n    CreateHostBuilder(args).Build().Run();\n}\n",
}
_KOTLIN = {
    "main": "fun main(args: Array<String>) {\n    runApplication<A>(*args)\n}\n",
    "data": "data class A(val a: String, val b: String, val c: Int)\n",
    "getter": "val a: String\n    get() = field\n",
}
_JS = {
    "ctor": "constructor(a, b) {\n  this.a = a;\n  this.b = b;\n}\n",
    "ctor3": "constructor(a, b, c) {\n  super();\n  this.a = a;\n  this.b = b;\n  this.c = c;\n}\n",
    "getter": "get a() {\n  return this._a;\n}\n",
    "setter": "set a(value) {\n  this._a = value;\n}\n",
    "exports": "module.exports = { a, b, c, d };\n",
    "exports2": "module.exports = a;\n",
    "require": "const a = require('a');\nconst b = require('b');\nconst { c, d } = require('c');\n",
    "strict": "'use strict';\n",
    "export": "export default a;\nexport { a, b, c };\n",
}
_GO = {
    "err": "if err != nil {\n\treturn err\n}\n",
    "err2": "if err != nil {\n\treturn nil, err\n}\n",
    "err3": "if err != nil {\n\treturn a, err\n}\n",
    "err4": 'if err != nil {\n\treturn fmt.Errorf("a: %w", err)\n}\n',
    "err5": "if err != nil {\n\tlog.Fatal(err)\n}\n",
    "err6": "if err != nil {\n\tt.Fatal(err)\n}\n",
    "getter": "func (a *A) B() string {\n\treturn a.b\n}\n",
    "main": "func main() {\n\tif err := run(); err != nil {\n\t\tlog.Fatal(err)\n\t}\n}\n",
}
_C = {
    "guard": "#ifndef A_H\n#define A_H\n\n#endif\n",
    "cplusplus": '#ifdef __cplusplus\nextern "C" {\n#endif\n\n#ifdef __cplusplus\n}\n#endif\n',
    "main": "int main(int argc, char **argv)\n{\n    return 0;\n}\n",
    "main2": "int main(void)\n{\n    return 0;\n}\n",
    "malloc": "a = malloc(sizeof(*a));\nif (a == NULL)\n    return NULL;\n",
}
_CPP = {
    **_C,
    "getter": "int a() const { return a_; }\nvoid set_a(int a) { a_ = a; }\n",
    "rule5": (
        "A(const A&) = delete;\nA& operator=(const A&) = delete;\nA(A&&) = default;\n"
        "A& operator=(A&&) = default;\n~A() = default;\n"
    ),
    "ns": "namespace a {\nnamespace b {\n}  // namespace b\n}  // namespace a\n",
}
_RUST = {
    "new": "pub fn new(a: A, b: B) -> Self {\n    Self { a, b }\n}\n",
    "getter": "pub fn a(&self) -> &A {\n    &self.a\n}\n",
    "main": "fn main() {\n    if let Err(e) = run() {\n        eprintln!(\"{}\", e);\n        std::process::exit(1);\n    }\n}\n",
    "derive": "#[derive(Debug, Clone, PartialEq, Eq)]\npub struct A {\n    pub a: String,\n    pub b: String,\n}\n",
    "tests": "#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn a() {\n    }\n}\n",
}
_PHP = {
    "getter": "public function getA()\n{\n    return $this->a;\n}\n",
    "setter": "public function setA($a)\n{\n    $this->a = $a;\n    return $this;\n}\n",
    "ctor": "public function __construct($a, $b)\n{\n    $this->a = $a;\n    $this->b = $b;\n}\n",
}
_RUBY = {
    "init": "def initialize(a, b)\n  @a = a\n  @b = b\nend\n",
    "init3": "def initialize(a, b, c)\n  @a = a\n  @b = b\n  @c = c\nend\n",
    "attr": "attr_reader :a, :b\nattr_accessor :c\n",
    "to_s": "def to_s\n  a\nend\n",
}

SNIPPETS: dict[str, dict[str, str]] = {
    "python": _PY, "java": _JAVA, "csharp": _CSHARP, "kotlin": _KOTLIN, "javascript": _JS,
    "typescript": _JS, "tsx": _JS, "go": _GO, "c": _C, "cpp": _CPP, "rust": _RUST,
    "php": _PHP, "ruby": _RUBY,
}

# members that tend to follow one another (fingerprints span across them)
_SEQUENCES: dict[str, tuple[tuple[str, ...], ...]] = {
    "python": (("exc_doc", "exc_doc", "exc_doc"), ("exc_pass", "exc_doc", "exc_pass"), ("exc_doc", "exc_pass", "exc_doc"),
               ("exc_pass", "exc_pass"), ("exc_init", "exc_doc"), ("exc_doc", "exc_init"), ("getter", "setter"), ("init2", "getter"), ("getter", "getter"), ("repr", "eq", "hash"),
               ("init1", "repr"), ("init2", "repr"), ("eq", "hash"), ("len", "iter"), ("getattr", "getattr")),
    "java": (("exc", "exc"), ("getter", "setter"), ("getter", "getter"), ("setter", "setter"), ("getter2", "setter"),
             ("field", "ctor3"), ("field2", "ctor2"), ("ctor2", "getter"), ("equals", "hashcode", "tostring")),
    "csharp": (("auto", "auto"), ("prop", "prop")),
    "javascript": (("ctor", "getter"), ("getter", "setter"), ("getter", "getter")),
    "typescript": (("ctor", "getter"), ("getter", "setter"), ("getter", "getter")),
    "tsx": (("getter", "setter"),),
    "go": (("getter", "getter"), ("err", "err"), ("err2", "err2")),
    "cpp": (("getter", "getter"),),
    "rust": (("new", "getter"), ("getter", "getter")),
    "php": (("getter", "setter"), ("getter", "getter"), ("setter", "setter"), ("ctor", "getter")),
    "ruby": (("init", "to_s"),),
}

# the main guard is so short that it only fills a k-gram with whatever follows;
# wrap it after typical last statements so those k-grams are covered too
_PY_TAIL = ("    return a\n", "    pass\n", "    print(a)\n", "    a(b)\n", "a = b\n", "    return a(b)\n")


@lru_cache(maxsize=4)
def stop_set(k: int = K) -> frozenset[int]:
    """Every k-gram hash of the built-in boilerplate, for all languages."""
    hashes: set[int] = set()
    for language, snippets in SNIPPETS.items():
        texts = list(snippets.values())
        for sequence in _SEQUENCES.get(language, ()):
            texts.append("".join(snippets[name] for name in sequence))
        if language == "python":
            texts.extend(tail + snippets[m] for tail in _PY_TAIL for m in ("main", "main2", "main3", "main4"))
        for text in texts:
            # the regex engine: no grammar to load, and on plain snippets like
            # these it yields the same stream as tree-sitter (a test checks it)
            hashes |= all_hashes(tokenize(text, language, engine="regex"), k=k)
    return frozenset(hashes)
