"""Shared plumbing of the execution-flow rules: the words that say a value is a secret."""

from __future__ import annotations

from secls.rules.helpers import words

CATEGORY = "execution-flow"

# Nouns that make a name a secret when they end it (`auth_token`, `expected_signature`), so that
# `token_count` or `signature_valid` are not secrets.
SECRET_NOUNS = frozenset({
    "token", "secret", "signature", "sig", "digest", "hexdigest", "hmac", "password", "passwd", "pwd",
    "passphrase", "nonce", "salt", "otp", "totp", "hotp", "csrf", "xsrf", "apikey", "iv",
})
_KEY_QUALIFIERS = frozenset({"api", "secret", "private", "encryption", "access", "session", "signing", "aes",
                             "hmac", "crypto", "cipher", "auth", "master", "shared"})
_CODE_QUALIFIERS = frozenset({"verification", "verify", "reset", "confirmation", "confirm", "auth", "activation",
                              "otp", "sms", "mfa", "login", "security", "access"})


def secret_noun(name: str | None) -> str | None:
    """The secret noun that ends a name (`csrf_token` -> token, `session_id` -> session id), else None."""
    if not name:
        return None
    parts = words(name)
    if not parts:
        return None
    last = parts[-1]
    if last in SECRET_NOUNS:
        return last
    if last in ("key", "keys") and len(parts) > 1 and parts[-2] in _KEY_QUALIFIERS:
        return f"{parts[-2]} key"
    if last in ("id", "key") and len(parts) > 1 and parts[-2] in ("session", "sess"):
        return "session id"
    if last == "sessionid":
        return "session id"
    if last == "pin" or (last == "code" and len(parts) > 1 and parts[-2] in _CODE_QUALIFIERS):
        return "one-time code"
    if last in ("hash", "hashed") and any(p in ("password", "passwd", "pw", "pwd") for p in parts):
        return "password hash"
    if parts[0] in ("hashed", "hmac") and len(parts) > 1 and parts[1] in ("password", "passwd", "value"):
        return "password hash"
    return None
