"""A unittest module that leaks: every acquisition in setUp outlives the test."""

import os
import tempfile
import unittest
from unittest import mock


class ReportTest(unittest.TestCase):
    def setUp(self):
        self.patcher = mock.patch("os.getcwd", return_value="/srv/app")
        self.getcwd = self.patcher.start()  # never stopped: os.getcwd stays patched for later tests
        self.workdir = tempfile.mkdtemp()  # never removed
        self.log = open(f"{self.workdir}/report.log", "w")  # never closed

    def test_writes_report(self):
        self.log.write(os.getcwd())
        self.log.flush()
        self.assertTrue(os.path.getsize(self.log.name) > 0)


if __name__ == "__main__":
    unittest.main()
