"""Shared knowledge of the secrets rules: secret-ish names, placeholders, credential formats, entropy."""

from __future__ import annotations

import ast
import base64
import binascii
import json
import keyword
import math
import re
from collections import Counter
from functools import lru_cache

CATEGORY = "secrets"

_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
SECRET_WORDS = frozenset({"password", "passwd", "pwd", "secret", "token", "apikey", "credential", "credentials",
                          "auth", "passphrase", "pass"})
SECRET_PAIRS = frozenset({("api", "key"), ("access", "key"), ("private", "key"), ("secret", "key"),
                          ("auth", "key"), ("signing", "key"), ("encryption", "key"), ("client", "secret")})
# A last word that makes the name describe the secret rather than hold it.
DESCRIPTORS = frozenset({
    "type", "types", "strategy", "method", "mode", "url", "uri", "endpoint", "header", "headers", "field", "fields",
    "name", "names", "file", "filename", "path", "dir", "length", "len", "prefix", "suffix", "format", "fmt",
    "pattern", "regex", "re", "policy", "plugin", "backend", "class", "cls", "version", "kind", "env", "var",
    "attr", "label", "message", "msg", "prompt", "help", "error", "count", "timeout", "expiry", "expires",
    "expiration", "ttl", "template", "style", "scheme", "provider", "driver", "id", "param", "arg", "option",
    "opt", "key", "column", "col", "hash", "hashed", "digest", "validator", "required", "manager", "plugins",
    "section", "group", "required", "enabled", "reset", "changed", "change", "min", "max", "size", "file",
    "location", "source", "store", "cache", "handler", "uuid", "index", "mask", "char", "chars", "encoding",
    "state", "status", "hdr", "range", "module", "oid", "kwarg", "kwargs", "callback", "factory", "flag",
})
CHECKSUM_WORDS = frozenset({"sha", "sha1", "sha256", "sha512", "md5", "digest", "checksum", "hash", "hashed",
                            "fingerprint", "etag", "commit", "revision", "rev", "sum", "crc", "hexdigest", "uuid",
                            "guid", "nonce"})
_PLACEHOLDER = re.compile(r"^(?:<[^<>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|\{[a-z_]*\}|%\([^)]*\)s|%s|\*+|x+|X+|\.+|-+|"
                          r"\$[A-Z_]+|none|null|nil|undefined|todo|tbd|redacted|hidden|fake|dummy|example)$",
                          re.IGNORECASE)


def words(name: str) -> tuple[str, ...]:
    """The lowercase words of an identifier (`authToken`, `AUTH_TOKEN` -> auth, token)."""
    return tuple(w.lower() for w in _WORD.findall(name))


@lru_cache(maxsize=4096)  # asked of every name given a literal: the same few hundred names recur
def is_secret_name(name: str) -> bool:
    """Whether a name's words say it holds a secret (`db_password`, `apiKey`, `SECRET_KEY`), not describe one."""
    parts = words(name)
    if not parts:
        return False
    last = parts[-1]
    secretish = any(w in SECRET_WORDS for w in parts) or any(p in SECRET_PAIRS for p in zip(parts, parts[1:]))
    if not secretish:
        return False
    if last in DESCRIPTORS and not (len(parts) >= 2 and (parts[-2], last) in SECRET_PAIRS):
        return False
    return not (parts[0] in ("is", "has", "use", "should", "no", "num", "n", "max", "min", "get", "set")
                or last in ("required", "enabled", "needed"))


def is_checksum_name(name: str) -> bool:
    """Whether a name's words say it holds a hash or identifier (`sha256`, `image_digest`, `commit_id`)."""
    return any(w in CHECKSUM_WORDS for w in words(name))


def is_placeholder(value: str) -> bool:
    """Placeholders and templates (`<password>`, `${TOKEN}`, `***`, `{password}`), not real values."""
    return bool(_PLACEHOLDER.match(value.strip()))


_NOT_A_SECRET = re.compile(r"[\W_]*|.|[\d.]+|.*\n.*|(?:\S+ ){3,}\S+", re.DOTALL)


def is_not_secret_text(value: str) -> bool:
    """Text that cannot be a secret: punctuation, one character, a dotted number (an OID), prose, a keyword."""
    return bool(_NOT_A_SECRET.fullmatch(value)) or keyword.iskeyword(value) or keyword.issoftkeyword(value)


def names_the_field(value: str, name: str) -> bool:
    """A value that names the field rather than holding a secret (`PASSWORD_FIELD = "password"`)."""
    value_words = words(value)
    if not value_words or not re.fullmatch(r"[A-Za-z_\-. :]+", value):
        return False
    name_words = set(words(name))
    return all(w in SECRET_WORDS or w in name_words or w in DESCRIPTORS or w in ("x", "os", "api", "access",
                                                                                "private", "new", "old")
               for w in value_words)


def target_name(node: ast.AST) -> str | None:
    """The name a value is bound to: `x`, `self.x`, `d["x"]`; else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
        return node.slice.value
    return None


def string_value(node: ast.AST | None) -> str | None:
    """The text of a str literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


# --- entropy (detect-secrets' Base64HighEntropyString and HexHighEntropyString) ---------------------------
BASE64_LIMIT = 4.5
HEX_LIMIT = 3.0
_BASE64 = re.compile(r"[A-Za-z0-9+/=_\-]+")
_HEX = re.compile(r"[0-9a-fA-F]+")
_UUID = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")


def shannon_entropy(text: str) -> float:
    """Shannon entropy in bits per character."""
    length = len(text)
    return -sum(c / length * math.log2(c / length) for c in Counter(text).values()) if length else 0.0


def high_entropy(text: str) -> tuple[str, float] | None:
    """('hex'|'base64', entropy) when a whole string is hex/base64 above detect-secrets' limits."""
    if _UUID.fullmatch(text):
        return None
    if _HEX.fullmatch(text):
        entropy = shannon_entropy(text)
        if text.isdigit():
            entropy -= 1.2 / math.log2(len(text))  # detect-secrets: all-digit strings are less random
        return ("hex", entropy) if entropy > HEX_LIMIT else None
    if _BASE64.fullmatch(text):
        entropy = shannon_entropy(text)
        return ("base64", entropy) if entropy > BASE64_LIMIT else None
    return None


# --- credential formats (detect-secrets' provider plugins) ----------------------------------------------
FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("AWS access key ID", re.compile(r"(?<![A-Z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}(?![A-Z0-9])")),
    ("GitHub token", re.compile(r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})")),
    ("Slack token", re.compile(r"xox[abposr]-(?:\d+-)+[a-zA-Z0-9]+|https://hooks\.slack\.com/services/T[A-Za-z0-9_]+"
                               r"/B[A-Za-z0-9_]+/[A-Za-z0-9_]+")),
    ("Stripe live key", re.compile(r"(?:r|s)k_live_[0-9a-zA-Z]{24,}")),
    ("Google API key", re.compile(r"AIza[0-9A-Za-z\-_]{35}")),
    # the base64 body must follow (headers like Proc-Type allowed): a regex or a prompt naming the header is no key
    ("private key", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----\s*(?:[A-Za-z-]+:[^\n]*\n\s*)*"
                               r"[A-Za-z0-9+/]{20}")),
    ("JWT", re.compile(r"eyJ[A-Za-z0-9_\-]+={0,2}\.eyJ[A-Za-z0-9_\-]+={0,2}\.[A-Za-z0-9_\-+/=]*")),
    ("credentials in a URL", re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.\-]{1,20}://[^:/@\s'\"]+:([^@/\s'\"]+)@[^\s/'\"]+")),
)
_QUICK = re.compile(r"A3T|AKIA|ASIA|ABIA|ACCA|gh[pousr]_|github_pat_|xox|hooks\.slack|k_live_|AIza|PRIVATE KEY|eyJ|://")
DOCUMENTED = frozenset({
    "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    # jwt.io's example token
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
    ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
})
_EXAMPLE_WORDS = re.compile(r"example|sample|dummy|fake|test|xxxx|0000|1234|abcd", re.IGNORECASE)
# Passwords in URLs that are spelled as examples (`otherpass`, `n0ts3kret`, `abcd0123`).
_URL_EXAMPLE_PARTS = re.compile(r"pass|secret|s3kr|kret|pwd|1234|0123|abcd|example|dummy|fake|test", re.IGNORECASE)
_URL_EXAMPLE_PASSWORDS = frozenset({"password", "pass", "passwd", "pw", "pwd", "secret", "changeme", "xxx",
                                    "test", "foo", "bar", "user", "admin", "example", "dummy", "fake", "guest",
                                    "root", "stackqueue", "nova", "openstack", "devstack"})


def credential_format(text: str) -> tuple[str, str, bool] | None:
    """(kind, matched text, is a documented/example value) for a string holding a real credential format."""
    if len(text) < 16 or not _QUICK.search(text):
        return None
    for kind, pattern in FORMATS:
        match = pattern.search(text)
        if match is None:
            continue
        found = match.group(0)
        if kind == "JWT" and not _is_jwt(found):
            continue
        if kind == "credentials in a URL":
            password = match.group(1)
            if is_placeholder(password) or password.startswith(("$", "{", "%", "<")) or "{" in password:
                continue
            example = password.lower() in _URL_EXAMPLE_PASSWORDS or len(password) < 4 or \
                shannon_entropy(password) < 3.0 or bool(_URL_EXAMPLE_PARTS.search(password)) or \
                bool(re.search(r"@(?:localhost|127\.0\.0\.1|\[::1\]|[^/\s]*example\.(?:com|org|net))", found))
            return kind, found, example
        example = found in DOCUMENTED or any(found in d or d in text for d in DOCUMENTED) or \
            bool(_EXAMPLE_WORDS.search(found[4:])) or len(set(found[4:])) <= 4
        return kind, found, example
    return None


def _is_jwt(token: str) -> bool:
    header = token.split(".", 1)[0]
    try:
        decoded = base64.urlsafe_b64decode(header + "=" * (-len(header) % 4))
        return isinstance(json.loads(decoded), dict)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return False
