"""Where a base expression's last name is: code-point columns, whatever the text's encoding needs."""

from __future__ import annotations

import pytest

from secls.resolve.questions import collect_questions


@pytest.mark.parametrize("header", ["class Test(pkg.Base):", "class Tést(pkg.Base):", "class 测试(pkg.Base):"])
def test_the_column_is_in_code_points(header: str) -> None:
    text = f"import pkg\n\n\n{header}\n    pass\n"
    question = collect_questions(text).bases["pkg.Base"]
    assert (question.line, question.column) == (4, header.index("Base") + len("Base") - 1)
    assert question.qualname == "pkg.Base"
