"""The same test as leaky_test.py, with every acquisition released by addCleanup."""

import os
import shutil
import tempfile
import unittest
from unittest import mock


class ReportTest(unittest.TestCase):
    def setUp(self):
        self.patcher = mock.patch("os.getcwd", return_value="/srv/app")
        self.getcwd = self.patcher.start()
        self.addCleanup(self.patcher.stop)
        self.workdir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.workdir, ignore_errors=True)
        self.log = open(f"{self.workdir}/report.log", "w")
        self.addCleanup(self.log.close)

    def test_writes_report(self):
        self.log.write(os.getcwd())
        self.log.flush()
        self.assertTrue(os.path.getsize(self.log.name) > 0)


if __name__ == "__main__":
    unittest.main()
