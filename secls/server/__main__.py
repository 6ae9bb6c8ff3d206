"""`python -m secls.server`: run the language server over stdio."""

from secls.server import serve

serve()
