"""The per-category security review of files: the model, how it is built, and its renderers."""

from secls.review.build import build_review
from secls.review.model import FileReview, Review, ReviewFinding, Section

__all__ = ["FileReview", "Review", "ReviewFinding", "Section", "build_review"]
