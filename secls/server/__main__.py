"""`python -m secls.server`: run the language server over stdio."""

from secls.server import serve

if __name__ == "__main__":  # the resolution worker process imports this module again: do not serve there
    serve()
