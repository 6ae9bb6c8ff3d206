"""Cross-file knowledge with jedi: base classes in other modules and packages, patch targets.

Never imports or runs the code it looks at: jedi's static inference only, unsafe extensions off.
"""

from secls.resolve.questions import Questions, collect_questions

__all__ = ["Questions", "collect_questions"]
