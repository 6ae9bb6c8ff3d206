"""SEC705 weak-crypto: MD5/SHA-1 for security, DES/RC4/Blowfish/ECB, and short keys."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.access_control.common import CATEGORY
from secls.rules.base import Rule
from secls.rules.helpers import argument, called_name, calls_named, is_constant, keyword, mentions, scoped_nodes

DOCS = """\
# SEC705 weak-crypto

## What it finds

- `hashlib.md5`, `hashlib.sha1` and `hashlib.new("md5" | "sha1" | "md4" ...)` without
  `usedforsecurity=False`; `cryptography`'s `hashes.MD5`/`SHA1`; `Crypto.Hash.MD2/MD4/MD5/SHA`;
  `crypt.crypt`/`crypt.mksalt` with `METHOD_CRYPT` or `METHOD_MD5` (`METHOD_BLOWFISH` is bcrypt, and fine).
- Broken ciphers and modes: DES, 3DES, RC2, RC4, Blowfish, IDEA, CAST5, XOR (`Crypto.Cipher.*`,
  `Cryptodome.Cipher.*`, `cryptography`'s `algorithms.*`) and the ECB mode (`modes.ECB`, `MODE_ECB`).
- RSA and DSA keys shorter than 2048 bits and elliptic curves under 224 bits
  (`generate_private_key(key_size=1024)`, `RSA.generate(1024)`, `ec.SECP192R1()`).

## Why it matters

MD5 and SHA-1 collisions are practical, so signatures, certificates or integrity checks built on
them can be forged; the listed ciphers are broken or have tiny blocks; ECB leaks patterns of the
plaintext; short keys can be factored or solved with modest resources.

## Example

```python
digest = hashlib.md5(password).hexdigest()        # SEC705
key = rsa.generate_private_key(65537, 1024)       # SEC705
```

## Fix

Use SHA-256 or better (for passwords: `hashlib.scrypt`, argon2, bcrypt), AES-GCM or ChaCha20-Poly1305,
and keys of at least 2048 bits (RSA/DSA) or 224 bits (EC). When MD5/SHA-1 is used for something that
is not security-relevant (a cache key, a file checksum against corruption), say so with
`usedforsecurity=False` — the quick fix, offered but not preferred, since only a human can tell.

Cross-references: bandit B303, B324, B304, B305, B505; ruff S303, S324, S304, S305, S505; CWE-327, CWE-328, CWE-326.
"""

_WEAK_HASHES = frozenset({"md5", "sha1", "md4", "sha", "ripemd160", "md5-sha1"})
_HASH_CALLS = frozenset({"hashlib.md5", "hashlib.sha1"})
_CIPHERS = frozenset({"DES", "DES3", "ARC2", "ARC4", "Blowfish", "XOR", "TripleDES", "IDEA", "CAST5", "SEED"})
_CIPHER_MODULES = ("Crypto.Cipher", "Cryptodome.Cipher", "cryptography.hazmat.primitives.ciphers.algorithms",
                   "cryptography.hazmat.decrepit.ciphers.algorithms")
_PYCRYPTO_HASHES = frozenset({"MD2", "MD4", "MD5", "SHA"})
_SMALL_CURVES = frozenset({"SECP192R1", "SECT163K1", "SECT163R2"})
_KEY_GENERATORS = {"rsa": 2048, "dsa": 2048, "RSA": 2048, "DSA": 2048}
_NAMES = frozenset({"md5", "sha1", "new", "crypt", "mksalt", "MD5", "SHA1", "MD4", "SHA", "ECB", "generate_private_key", "generate",
                    "generate_parameters"}) | _CIPHERS | _SMALL_CURVES


def _spelled(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _hash(node: ast.Call, name: str, qualified: str, ctx: ModuleContext) -> Finding | None:
    if qualified in _HASH_CALLS or (qualified == "hashlib.new" and node.args and isinstance(node.args[0], ast.Constant)
                                    and str(node.args[0].value).lower() in _WEAK_HASHES):
        declared = keyword(node, "usedforsecurity")
        if is_constant(getattr(declared, "value", None), False):
            return None
        algorithm = name if name != "new" else str(node.args[0].value).lower()  # type: ignore[attr-defined]
        # No edit when the call already says `usedforsecurity=` (True: declared for security) or passes
        # `*args`/`**kwargs`, which may carry it.
        fixable = declared is None and not any(isinstance(a, ast.Starred) for a in node.args) \
            and all(k.arg is not None for k in node.keywords)
        return ctx.report(RULE, node, f"`{algorithm}` is broken for security use; use SHA-256 or better, or say "
                                      "`usedforsecurity=False` if it is not", fix=fixable,
                          fix_safe=False,  # the edit changes nothing at run time, but only a human knows it is true
                          data={"kind": "hash", "function": _spelled(node)})
    module, _, algorithm = qualified.rpartition(".")[0].rpartition(".")
    if name in ("MD5", "SHA1") and qualified.rpartition(".")[0] == "cryptography.hazmat.primitives.hashes" or \
            name == "new" and module in ("Crypto.Hash", "Cryptodome.Hash") and algorithm in _PYCRYPTO_HASHES:
        shown = name if name != "new" else algorithm
        return ctx.report(RULE, node, f"`{shown}` is broken for security use; use SHA-256 or better",
                          data={"kind": "hash"})
    if name in ("crypt", "mksalt") and qualified in ("crypt.crypt", "crypt.mksalt"):
        method = argument(node, 1 if name == "crypt" else 0, "salt" if name == "crypt" else "method")
        weak = (ctx.qualname(method) or "") if method is not None else ""
        if weak in ("crypt.METHOD_CRYPT", "crypt.METHOD_MD5"):
            return ctx.report(RULE, method, f"`{weak}` is a broken password hash; use SHA-512 crypt, bcrypt "  # type: ignore[arg-type]
                                            "or scrypt", data={"kind": "hash"})
    return None


def _key_size(node: ast.Call, name: str, qualified: str, ctx: ModuleContext) -> Finding | None:
    module = qualified.rpartition(".")[0].rpartition(".")[2]
    minimum = _KEY_GENERATORS.get(module)
    if minimum is None:
        return None
    if name == "generate_parameters" or (name == "generate_private_key" and module == "dsa"):
        position = 0  # dsa.generate_private_key(key_size, ...) / generate_parameters(key_size, ...)
    else:
        position = 1 if name == "generate_private_key" else 0
    size = argument(node, position, "key_size" if module.islower() else "bits")
    if isinstance(size, ast.Constant) and type(size.value) is int and size.value < minimum:
        return ctx.report(RULE, size, f"a {size.value}-bit {module.upper()} key is too short; use at least {minimum}")
    return None


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report weak hashes, ciphers, modes and key sizes."""
    if isinstance(node, ast.Module):
        if mentions(ctx, ("MODE_ECB",)):
            for found, _ in scoped_nodes(ctx.tree, (ast.Attribute,)):
                if found.attr == "MODE_ECB" and (ctx.qualname(found) or "").startswith(("Crypto.", "Cryptodome.")):  # type: ignore[attr-defined]
                    yield ctx.report(RULE, found, "ECB mode leaks patterns of the plaintext; use GCM or another "
                                                  "AEAD mode", data={"kind": "mode"})
        for call, _ in calls_named(ctx, _NAMES):
            yield from _check_call(call, ctx)


def _check_call(node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
    name = called_name(node, ctx.imports.aliases) or ""
    qualified = ctx.call_name(node) or ""
    module = qualified.rpartition(".")[0]
    found = _hash(node, name, qualified, ctx)
    if found is None and name in ("generate_private_key", "generate", "generate_parameters"):
        found = _key_size(node, name, qualified, ctx)
    if found is None and name in _CIPHERS and (module.startswith(_CIPHER_MODULES) or module in _CIPHER_MODULES):
        found = ctx.report(RULE, node, f"`{name}` is a broken cipher; use AES-GCM or ChaCha20-Poly1305",
                           data={"kind": "cipher"})
    if found is None and qualified.rpartition(".")[0].startswith(_CIPHER_MODULES) and name == "new" \
            and module.rpartition(".")[2] in _CIPHERS:
        found = ctx.report(RULE, node, f"`{module.rpartition('.')[2]}` is a broken cipher; use AES-GCM",
                           data={"kind": "cipher"})
    if found is None and name == "ECB" and module.endswith("ciphers.modes"):
        found = ctx.report(RULE, node, "ECB mode leaks patterns of the plaintext; use GCM or another AEAD mode",
                           data={"kind": "mode"})
    if found is None and name == "generate_private_key" and module.endswith("asymmetric.ec") and node.args \
            and isinstance(node.args[0], (ast.Name, ast.Attribute)) \
            and (ctx.qualname(node.args[0]) or "").rpartition(".")[2] in _SMALL_CURVES:
        found = ctx.report(RULE, node.args[0], "this curve is under 224 bits; use SECP256R1 or stronger",
                           data={"kind": "key"})  # the curve class passed uncalled
    if found is None and name in _SMALL_CURVES and module.endswith("asymmetric.ec"):
        found = ctx.report(RULE, node, f"curve `{name}` is under 224 bits; use SECP256R1 or stronger",
                           data={"kind": "key"})
    if found is not None:
        yield found


RULE = Rule(
    code="SEC705", name="weak-crypto", category=CATEGORY, severity=Severity.WARNING, docs=DOCS,
    nodes=(ast.Module,), check=check, bandit=("B303", "B324", "B304", "B305", "B505"),
    ruff=("S303", "S324", "S304", "S305", "S505"), cwe=("CWE-327", "CWE-328", "CWE-326"),
    fix_title="Mark the hash usedforsecurity=False (safe)",
)
