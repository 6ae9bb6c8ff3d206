import unittest
from unittest import mock


class TestVolume(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.patcher = mock.patch("os.getcwd")
        self.label = "😀 volume 🚀"; self.getcwd = self.patcher.start()

    def test_it(self):
        self.assertTrue(self.getcwd)
