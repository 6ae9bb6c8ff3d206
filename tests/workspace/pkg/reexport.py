"""A base re-exported under another name, two hops away."""

from pkg.bases import StopallTestCase as ProjectTestCase  # noqa: F401
